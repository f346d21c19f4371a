#include "attachdialog.h"

#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QUrl>

namespace bb::ui {

AttachDialog::AttachDialog(QWidget *parent) : QDialog(parent)
{
    setWindowTitle(QStringLiteral("Attach to an instance"));
    auto *form = new QFormLayout(this);
    m_url = new QLineEdit;
    m_url->setPlaceholderText(QStringLiteral("https://proxy-1.example:9901"));
    form->addRow(QStringLiteral("Admin API URL"), m_url);
    m_token = fileRow(this, QStringLiteral("The file holding the admin token"));
    m_token->setPlaceholderText(QStringLiteral("none"));
    form->addRow(QStringLiteral("Token file"), m_token->parentWidget());
    m_ca = fileRow(this, QStringLiteral("The CA certificate that signed the instance's"));
    m_ca->setPlaceholderText(QStringLiteral("the system's certificate store"));
    form->addRow(QStringLiteral("CA file"), m_ca->parentWidget());
    m_problem = new QLabel;
    m_problem->setStyleSheet(QStringLiteral("color: #d73a3a"));
    form->addRow(m_problem);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    m_buttons->button(QDialogButtonBox::Ok)->setText(QStringLiteral("Attach"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    form->addRow(m_buttons);
    connect(m_url, &QLineEdit::textChanged, this, &AttachDialog::check);
    check();
    setMinimumWidth(520);
}

QLineEdit *AttachDialog::fileRow(QWidget *dialog, const QString &title)
{
    auto *row = new QWidget;
    auto *layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *edit = new QLineEdit;
    auto *choose = new QPushButton(QStringLiteral("Choose…"));
    layout->addWidget(edit, 1);
    layout->addWidget(choose);
    connect(choose, &QPushButton::clicked, dialog, [dialog, edit, title] {
        const QString path = QFileDialog::getOpenFileName(dialog, title, edit->text());
        if (!path.isEmpty())
            edit->setText(path);
    });
    return edit;
}

QString AttachDialog::url() const { return m_url->text().trimmed(); }
QString AttachDialog::tokenFile() const { return m_token->text().trimmed(); }
QString AttachDialog::caFile() const { return m_ca->text().trimmed(); }
QString AttachDialog::problem() const { return m_problem->text(); }

void AttachDialog::setValues(const QString &url, const QString &tokenFile, const QString &caFile)
{
    m_url->setText(url);
    m_token->setText(tokenFile);
    m_ca->setText(caFile);
}

void AttachDialog::check()
{
    // What the URL must be is checked here; whether something answers there, by attaching.
    const QUrl u(url(), QUrl::StrictMode);
    QString problem;
    if (!url().isEmpty() && (!u.isValid() || (u.scheme() != QLatin1String("https") && u.scheme() != QLatin1String("http")) ||
                             u.host().isEmpty()))
        problem = QStringLiteral("The URL must start with https:// (or http://) and name a host.");
    m_problem->setText(problem);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(!url().isEmpty() && problem.isEmpty());
}

} // namespace bb::ui
