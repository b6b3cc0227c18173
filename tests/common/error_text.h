// errorText(): a Result's error message as a QString for Qt Test messages.
#pragma once

#include "core/util/error.h"

#include <QString>

namespace nnc::test {

/// The error message of a result, or "" when it holds a value (QVERIFY2 evaluates its message
/// even when the check passes, so never call .error() there directly).
template <class T>
QString errorText(const Result<T> &r)
{
    return r ? QString() : QString::fromStdString(r.error().message);
}

} // namespace nnc::test
