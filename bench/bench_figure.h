#pragma once

// One measured figure of a bench run, with its budget (0: reported, no budget).

#include <QString>

struct Figure
{
    QString measure;
    double value = 0;
    QString unit;
    double budget = 0;
};
