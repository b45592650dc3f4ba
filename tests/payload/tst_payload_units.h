#pragma once

// The payload core (payload_units, label `unit`: no server): scanner, pretty-printer, tree, hex
// dump and search on small cases.

#include <QObject>

class PayloadUnitsTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void scannerFollowsRfc8259_data();
    void scannerFollowsRfc8259();
    void deepNestingCostsNoCallStack();
    void prettyPrintIndentsByTwoAndKeepsTokens();
    void prettyPrintColoursTokens();
    void invalidJsonMarksTheErrorInTheText();
    void stringsDecodeEscapesAndSurrogates();
    void payloadsAreClassified_data();
    void payloadsAreClassified();
    void hexDumpLooksLikeHexdumpC();
    void searchFindsEveryOccurrenceAndSteps();
    void longLinesWrapIntoNumberedRows();
    void treeModelMakesNodesWhenAsked();
};
