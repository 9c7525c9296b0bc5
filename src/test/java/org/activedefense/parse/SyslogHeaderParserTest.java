package org.activedefense.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SyslogHeaderParserTest {

    private static final String CSV = "1,2019/07/14 10:26:22,003924147953,TRAFFIC,end";
    private static final String KV = "SrcLocation=China; SrcIP=203.0.113.7;";

    private final SyslogHeaderParser parser = new SyslogHeaderParser();

    private void assertSplit(String line, String host, String body) throws RejectedLineException {
        SyslogMessage message = parser.parse(line);
        assertEquals(host, message.host(), "host of: " + line);
        assertEquals(body, message.body(), "body of: " + line);
    }

    @Test
    void rfc3164WithPriAndHost() throws Exception {
        assertSplit("<14>Jul 14 11:22:29 MY-HOST.example.com " + CSV, "MY-HOST.example.com", CSV);
    }

    @Test
    void rfc3164WithSpaceAfterPri() throws Exception {
        assertSplit("<12> Jul 14 11:22:29 MY-HOST " + CSV, "MY-HOST", CSV);
    }

    @Test
    void rfc3164WithDoubleSpaceDay() throws Exception {
        assertSplit("<13>Nov  3 07:01:51 BIG-OL-PAN.example.com " + CSV, "BIG-OL-PAN.example.com", CSV);
        assertSplit("Nov  3 07:01:51 fw " + CSV, "fw", CSV);
    }

    @Test
    void rfc3164WithoutPri() throws Exception {
        assertSplit("Mar 9 14:47:44 firewall1.example.com " + CSV, "firewall1.example.com", CSV);
    }

    @Test
    void rfc3164WithoutHost() throws Exception {
        assertSplit("Oct 30 09:46:12 " + CSV, null, CSV);
        assertSplit("<14>Apr  8 01:47:32 " + CSV, null, CSV);
        assertSplit("<14>May  4 04:24:38 " + KV, null, KV);
    }

    @Test
    void rfc3164WithYearOrFraction() throws Exception {
        assertSplit("<14>Jul 14 2019 11:22:29 fw " + CSV, "fw", CSV);
        assertSplit("<14>Jul 14 11:22:29.123 fw " + CSV, "fw", CSV);
    }

    @Test
    void rfc3164KeyValueBody() throws Exception {
        assertSplit("<14>May  4 04:24:38 PPCMOCK-PA820-A.corp.nuskin.net timestamp=2021/05/04 04:24:37, serial=1",
                "PPCMOCK-PA820-A.corp.nuskin.net", "timestamp=2021/05/04 04:24:37, serial=1");
    }

    @Test
    void loggerRfc3164OutputWithTag() throws Exception {
        // util-linux: logger --rfc3164 -t root message
        assertSplit("<13>Nov 22 13:00:00 myhost root: message", "myhost", "message");
        assertSplit("<13>Nov 22 13:00:00 myhost root: " + CSV, "myhost", CSV);
        assertSplit("<13>Nov 22 13:00:00 myhost app[123]: " + KV, "myhost", KV);
        assertSplit("<13>Nov 22 13:00:00 root: " + CSV, null, CSV);
    }

    @Test
    void nilTagAfterHost() throws Exception {
        assertSplit("Nov 26 12:53:54 FW-DNS-11 - " + CSV, "FW-DNS-11", CSV);
    }

    @Test
    void stackedRelayHeadersGiveTheInnermostHost() throws Exception {
        assertSplit("Feb 24 22:09:26 10.5.172.40 Feb 24 22:06:07 BD-Panorama " + CSV, "BD-Panorama", CSV);
        assertSplit("<13>Feb 24 22:09:26 relay <14>Feb 24 22:06:07 BD-Panorama " + CSV, "BD-Panorama", CSV);
    }

    @Test
    void stackedHeaderWithoutInnerHostKeepsTheRelaysHost() throws Exception {
        assertSplit("Feb 24 22:09:26 10.5.172.40 Feb 24 22:06:07 " + CSV, "10.5.172.40", CSV);
    }

    @Test
    void rfc5424PanoramaStyle() throws Exception {
        assertSplit("<14>1 2018-09-19T11:50:32-05:00 Panorama--2 - - - - " + CSV, "Panorama--2", CSV);
    }

    @Test
    void rfc5424WithTwoSpacesBeforeMessage() throws Exception {
        assertSplit("<14>1 2025-07-14T09:50:36-04:00 the-hostname - - - -  " + CSV, "the-hostname", CSV);
    }

    @Test
    void rfc5424CortexDataLakeBody() throws Exception {
        String body = "2021-10-27T19:20:59.000000Z,no-serial,TRAFFIC,end,10.0";
        assertSplit("<14>1 2021-10-27T19:21:00.034Z stream-logfwd20 logforwarder - panwlogs - " + body,
                "stream-logfwd20", body);
    }

    @Test
    void loggerRfc5424OutputWithStructuredData() throws Exception {
        // util-linux logger default output.
        String header = "<13>1 2026-11-22T13:00:00.123456+00:00 myhost root - - "
                + "[timeQuality tzKnown=\"1\" isSynced=\"0\"] ";
        assertSplit(header + "message", "myhost", "message");
        assertSplit(header + CSV, "myhost", CSV);
    }

    @Test
    void rfc5424StructuredDataWithEscapesAndSeveralElements() throws Exception {
        String line = "<14>1 2026-11-22T13:00:00Z fw app 42 ID7 [a@1 k=\"v\\\"]\" x=\"\\\\\"][b@2 y=\"[z]\"] " + CSV;
        assertSplit(line, "fw", CSV);
    }

    @Test
    void rfc5424NilHostAndBom() throws Exception {
        assertSplit("<14>1 - - - - - - \uFEFF" + CSV, null, CSV);
        assertSplit("<14>1 2026-11-22T13:00:00Z fw - - - -", "fw", "");
    }

    @Test
    void rfc5424WithStrayOctetCount() throws Exception {
        assertSplit("535 <14>1 2020-03-27T09:57:41+01:00 PA-VM - - - - " + CSV, "PA-VM", CSV);
    }

    @Test
    void isoTimestampAndHostWithoutPri() throws Exception {
        assertSplit("2023-07-06T08:11:40+02:00 paloalto.test.host " + CSV, "paloalto.test.host", CSV);
        assertSplit("<13>2023-07-06T08:11:40.123Z fw " + CSV, "fw", CSV);
    }

    @Test
    void headerlessLines() throws Exception {
        assertSplit(CSV, null, CSV);
        assertSplit(KV, null, KV);
        String cortex = "2021-10-27T19:20:59.000000Z,no-serial,TRAFFIC";
        assertSplit(cortex, null, cortex);
        assertSplit("<14>" + CSV, null, CSV);
        assertSplit("\uFEFF" + CSV, null, CSV);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "<14>Jul 14 11:22:29 MY-HOST|MY-HOST",
        "<14>Jul 14 11:22:29 MY-HOST   |MY-HOST",
        "<14>Jul 14 11:22:29|",
        "<14>1 2026-11-22T13:00:00Z fw app - - -|fw",
        "<14>1 2026-11-22T13:00:00Z fw|fw",
    })
    void headerWithoutBodyLeavesBodyEmpty(String line, String host) throws Exception {
        assertSplit(line, host, "");
    }

    @Test
    void overlongHostIsRejected() {
        String host = "h".repeat(SyslogHeaderParser.MAX_HOST_LENGTH + 1);
        RejectedLineException e = assertThrows(RejectedLineException.class,
                () -> parser.parse("<14>Jul 14 11:22:29 " + host + " " + CSV));
        assertEquals("host name longer than 255 characters", e.getMessage());
        assertThrows(RejectedLineException.class, () -> parser.parse("<14>1 - " + host + " - - - - " + CSV));
    }

    @Test
    void hostOfExactlyMaximumLengthIsKept() throws Exception {
        String host = "h".repeat(SyslogHeaderParser.MAX_HOST_LENGTH);
        assertSplit("<14>Jul 14 11:22:29 " + host + " " + CSV, host, CSV);
    }

    @Test
    void hostIsKeptVerbatim() throws Exception {
        assertSplit("<14>Jul 14 11:22:29 <script>alert(1)</script> " + CSV, "<script>alert(1)</script>", CSV);
        assertSplit("<14>Jul 14 11:22:29 fw';DROP " + CSV, "fw';DROP", CSV);
    }

    @Test
    void malformedStructuredDataIsRejected() {
        for (String line : new String[] {
            "<14>1 2026-11-22T13:00:00Z fw app - - [unterminated k=\"v\" " + CSV,
            "<14>1 2026-11-22T13:00:00Z fw app - - [a k=\"v]\" " + CSV,
            "<14>1 2026-11-22T13:00:00Z fw app - - -x " + CSV,
            "<14>1 2026-11-22T13:00:00Z fw app - - " + CSV,
        }) {
            RejectedLineException e = assertThrows(RejectedLineException.class, () -> parser.parse(line), line);
            assertTrue(e.getMessage().startsWith("malformed RFC 5424"), e.getMessage());
        }
    }

    @Test
    void deeplyStackedHeadersStopAfterAFew() throws Exception {
        String line = "Jan  1 00:00:00 a ".repeat(1000) + CSV;
        SyslogMessage message = parser.parse(line);
        assertTrue(message.body().endsWith(CSV));
    }

    @Test
    void garbageIsAllBody() throws Exception {
        assertSplit("hello world", null, "hello world");
        assertSplit("<999>Jul 14 11:22:29 fw x", null, "<999>Jul 14 11:22:29 fw x");
        assertSplit("", null, "");
    }
}
