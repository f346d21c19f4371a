// A service's `tls:` block (DESIGN.md, "TLS"): how an https:// upstream is
// verified and whom Breakerboard says it is. When the configuration comes
// from a file, the files it names are read here too, so that check-config,
// the headless start and a reload refuse the same bad file at its key.
// Nothing connects anywhere.
#include "configreader.h"
#include "pemfiles.h"

#include <QDateTime>
#include <QSslCertificate>

#include <filesystem>

namespace bb {

namespace {
std::optional<QByteArray> readPem(const std::string &path, std::string *why)
{
    QString problem;
    auto pem = readPemFile(QString::fromStdString(path), &problem);
    *why = problem.toStdString();
    return pem;
}
} // namespace

void ConfigReader::readUpstreamTls(const YAML::Node &n, ServiceConfig &s)
{
    if (!isMap(n, "tls"))
        return;
    checkKeys(n, {"ca_file", "server_name", "client_cert", "client_key", "min_version", "verify"}, "tls");
    UpstreamTls tls = s.tls.value_or(UpstreamTls{});
    const auto path = [&](const char *key, std::string &into) {
        if (!hasKey(n, key))
            return;
        const std::string name = std::string("tls.") + key;
        if (auto p = text(n[key], name)) {
            if (p->empty())
                error(n[key], name + " must name a file");
            else
                into = (std::filesystem::path(m_file).parent_path() / *p).lexically_normal().string();
        }
    };
    path("ca_file", tls.caFile);
    path("client_cert", tls.clientCert);
    path("client_key", tls.clientKey);
    if (hasKey(n, "server_name")) {
        if (auto name = text(n["server_name"], "tls.server_name")) {
            if (name->empty() || name->find_first_of(" /:@\t") != std::string::npos)
                error(n["server_name"], "tls.server_name must be a host name, got '" + *name + "'");
            else
                tls.serverName = *name;
        }
    }
    if (hasKey(n, "min_version"))
        if (auto v = oneOf<TlsMinVersion>(n["min_version"], "tls.min_version",
                                          {{"1.2", TlsMinVersion::Tls12}, {"1.3", TlsMinVersion::Tls13}}, "1.2 or 1.3"))
            tls.minVersion = *v;
    if (hasKey(n, "verify"))
        if (auto v = boolean(n["verify"], "tls.verify"))
            tls.verify = *v;
    s.tls = tls;
    // A block under `default:` is read once for every service; its files
    // are checked once.
    const YAML::Mark m = n.Mark();
    if (m_checkFiles && m_checkedTlsBlocks.insert({m.line, m.column}).second)
        checkTlsFiles(n, tls);
}

void ConfigReader::checkTlsFiles(const YAML::Node &n, const UpstreamTls &tls)
{
    std::string why;
    if (hasKey(n, "ca_file") && !tls.caFile.empty()) {
        if (const auto pem = readPem(tls.caFile, &why); !pem)
            error(n["ca_file"], "tls.ca_file: cannot read " + tls.caFile + ": " + why);
        else if (QSslCertificate::fromData(*pem, QSsl::Pem).isEmpty())
            error(n["ca_file"], "tls.ca_file " + tls.caFile + " holds no PEM certificate");
    }
    QList<QSslCertificate> chain;
    if (hasKey(n, "client_cert") && !tls.clientCert.empty()) {
        const auto pem = readPem(tls.clientCert, &why);
        if (pem)
            chain = QSslCertificate::fromData(*pem, QSsl::Pem);
        if (!pem)
            error(n["client_cert"], "tls.client_cert: cannot read " + tls.clientCert + ": " + why);
        else if (chain.isEmpty())
            error(n["client_cert"], "tls.client_cert " + tls.clientCert + " holds no PEM certificate");
        else if (const QDateTime end = chain.front().expiryDate(); end < QDateTime::currentDateTimeUtc())
            error(n["client_cert"], "tls.client_cert " + tls.clientCert + " expired on " +
                                        end.toUTC().toString(Qt::ISODate).toStdString());
    }
    if (!hasKey(n, "client_key") || tls.clientKey.empty())
        return;
    const YAML::Node at = n["client_key"];
    const auto pem = readPem(tls.clientKey, &why);
    if (!pem) {
        error(at, "tls.client_key: cannot read " + tls.clientKey + ": " + why);
        return;
    }
    if (isEncryptedPem(*pem)) {
        error(at, "tls.client_key " + tls.clientKey +
                      " is encrypted: give it without a passphrase (openssl pkey -in KEY -out PLAIN.key)");
        return;
    }
    const QSslKey key = privateKeyOf(*pem);
    if (key.isNull()) {
        error(at, "tls.client_key " + tls.clientKey + " holds no PEM private key (RSA or EC)");
        return;
    }
    if (chain.isEmpty()) // no certificate in this block (or a bad one, already reported): nothing to pair with
        return;
    QSslConfiguration pair = QSslConfiguration::defaultConfiguration();
    pair.setLocalCertificateChain(chain);
    pair.setPrivateKey(key);
    if (const QString refusal = backendRefusal(pair); !refusal.isEmpty())
        error(at, "tls.client_key " + tls.clientKey + " does not go with tls.client_cert " + tls.clientCert + " (" +
                      refusal.toStdString() + ")");
}

// The checks of a service's settings together, after `default:` and its own
// block are merged.
void ConfigReader::checkUpstreamTls(const YAML::Node &at, const ServiceConfig &s)
{
    if (!s.tls)
        return;
    const std::string service = "service '" + s.name + "': ";
    const YAML::Node block = hasKey(at, "tls") ? at["tls"] : at;
    if (!s.upstream || !s.upstream->tls)
        error(block, service + "a tls block needs an https:// upstream" +
                         (s.upstream ? ", got '" + s.upstream->text + "'" : std::string()));
    if (s.tls->clientCert.empty() != s.tls->clientKey.empty())
        error(block, service + "tls.client_cert and tls.client_key go together: give both or neither");
    if (!s.tls->verify)
        warning(hasKey(block, "verify") ? block["verify"] : block,
                service + "tls.verify is false: any certificate is accepted, so whoever sits between "
                          "Breakerboard and the upstream can read and change its calls");
}

} // namespace bb
