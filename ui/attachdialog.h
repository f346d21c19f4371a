// File → Attach to an instance: the URL of a running instance's admin API,
// the file holding its token and, for a certificate no system store
// vouches for, the CA file. Whoever runs the window attaches and says when
// it cannot.
#pragma once

#include <QDialog>

class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace bb::ui {

class AttachDialog : public QDialog {
    Q_OBJECT
public:
    explicit AttachDialog(QWidget *parent = nullptr);

    QString url() const;
    QString tokenFile() const;
    QString caFile() const;
    void setValues(const QString &url, const QString &tokenFile, const QString &caFile);

    QLineEdit *urlEdit() const { return m_url; }
    QLineEdit *tokenEdit() const { return m_token; }
    QLineEdit *caEdit() const { return m_ca; }
    QDialogButtonBox *buttons() const { return m_buttons; }
    QString problem() const;

private:
    void check();
    QLineEdit *fileRow(QWidget *form, const QString &title);

    QLineEdit *m_url;
    QLineEdit *m_token;
    QLineEdit *m_ca;
    QLabel *m_problem;
    QDialogButtonBox *m_buttons;
};

} // namespace bb::ui
