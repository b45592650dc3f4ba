#pragma once

// The payload viewer (payload_postgresql, payload_mariadb): the viewer on hostile, binary and huge
// payloads; the
// JSONTestSuite and naughty-strings corpora stored as failed records in the real server under
// test and read back. A missing server or corpus fails the suite, it never skips it.

#include "contract_fixture.h"

#include <QObject>

class PayloadTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();

    // The viewer (tst_payload_viewer.cpp)
    void binaryPayloadShowsItsHexDump();
    void invalidUtf8IsLabelled();
    void invalidJsonShowsTheTextWithTheErrorMarked();
    void searchCountsAndStepsThroughMatches();
    void treeTabShowsTheDocument();
    void copyTakesTheTextOrTheHexDump();
    void hugePayloadWaitsForLoadAndTheWindowKeepsAnswering();
    void newPayloadDiscardsTheOldOneStillFormatting();

    // Corpora stored in the real server (tst_payload_corpus.cpp)
    void jsonTestSuiteStoredAndShown();
    void naughtyStringsShownExactlyAndFound();

private:
    mc::test::TestServer m_server;
};
