#include "importmode.h"

#include "consoleoutput.h"
#include "progressline.h"
#include "replayinputs.h"

#include "config/configloader.h"
#include "record/importer.h"

namespace bb::app {

int runImport(const QString &format, const QString &input, const QString &output, const QString &configPath)
{
    const auto chosen = record::parseImportFormat(format.toStdString());
    if (!chosen) {
        printError(QStringLiteral("breakerboard: --from must be nginx, har or envoy, got '%1'").arg(format));
        return 2;
    }
    if (input.isEmpty() || output.isEmpty()) {
        printError(QStringLiteral("usage: breakerboard import --from nginx|har|envoy INPUT -o RECORDING [--config FILE]"));
        return 2;
    }
    std::optional<Configuration> config;
    if (!configPath.isEmpty()) {
        QStringList problems;
        config = usableConfiguration(loadConfiguration(configPath.toStdString()), configPath, &problems);
        for (const QString &problem : problems)
            printError(QStringLiteral("breakerboard: ") + problem);
        if (!config)
            return 1;
    }
    const ConfigText carried = readConfigText(configPath);
    ProgressLine progress(QStringLiteral("Importing…"));
    const record::ImportResult result =
        record::importLog(*chosen, input.toStdString(), output.toStdString(), config ? &*config : nullptr,
                          carried.name, carried.text,
                          [&](double fraction) { progress.update(fraction); });
    progress.done();
    if (!result.ok) {
        printError(QStringLiteral("breakerboard: ") + QString::fromStdString(result.error));
        return 1;
    }
    for (const std::string &line : result.report.warnings())
        printError(input + QStringLiteral(": ") + QString::fromStdString(line));
    for (const std::string &note : result.notes)
        printError(input + QStringLiteral(": ") + QString::fromStdString(note));
    print(QStringLiteral("Imported %1 requests from %2 into %3; %4 skipped.")
              .arg(result.imported)
              .arg(input, output)
              .arg(result.report.malformed));
    return 0;
}

} // namespace bb::app
