// The state directory: where forced states, the audit log, the admin token
// and (without a configuration file) the policy overlay live.
#pragma once

#include <QString>

namespace bb::persist {

// The platform's application-data location, e.g. ~/.local/share/breakerboard.
QString defaultStateDirectory();

// Creates the directory (mode 0700) if needed; false with a message if it
// cannot be created or written.
bool prepareStateDirectory(const QString &path, QString *error);

// Replaces a file's contents atomically (temporary file, flush to disk,
// rename); false with a message on failure, the old file then untouched.
bool writeFileAtomically(const QString &path, const QByteArray &contents, QString *error);

} // namespace bb::persist
