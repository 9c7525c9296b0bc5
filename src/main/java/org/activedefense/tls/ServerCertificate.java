package org.activedefense.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * The certificate and key the service presents on HTTPS and syslog over TLS, as an in-memory key
 * store holding one key entry, wherever it came from (a configured key store or the self-signed
 * certificate under data/tls).
 *
 * @param keyStore  holds exactly the entry {@code alias}
 * @param alias     the key entry's name
 * @param password  the key store's and the key entry's password
 * @param chain     the certificate chain, the server's own certificate first
 * @param source    where it came from, for the log
 */
public record ServerCertificate(KeyStore keyStore, String alias, char[] password, List<X509Certificate> chain,
                                String source) {

    /** Loads a key entry from a key store file; with no alias, the store's only (or first) key entry. */
    public static ServerCertificate fromKeyStore(Path file, String type, String password, String alias)
            throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(type.isBlank() ? "PKCS12" : type.trim());
        char[] secret = password.toCharArray();
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, secret);
        }
        String chosen = alias.isBlank() ? firstKeyEntry(store, file) : alias.trim();
        if (!store.isKeyEntry(chosen)) {
            throw new GeneralSecurityException("the key store " + file + " has no key entry named '" + chosen + "'");
        }
        Certificate[] certificates = store.getCertificateChain(chosen);
        if (certificates == null || certificates.length == 0) {
            throw new GeneralSecurityException("the key entry '" + chosen + "' of " + file + " has no certificate");
        }
        List<X509Certificate> chain = new ArrayList<>();
        for (Certificate c : certificates) {
            chain.add((X509Certificate) c);
        }
        KeyStore single = KeyStore.getInstance("PKCS12");
        single.load(null, null);
        single.setKeyEntry(chosen, store.getKey(chosen, secret), secret, certificates);
        return new ServerCertificate(single, chosen, secret, List.copyOf(chain), "key store " + file);
    }

    private static String firstKeyEntry(KeyStore store, Path file) throws GeneralSecurityException {
        for (String name : Collections.list(store.aliases())) {
            if (store.isKeyEntry(name)) {
                return name;
            }
        }
        throw new GeneralSecurityException("the key store " + file + " holds no private key entry");
    }

    public X509Certificate certificate() {
        return chain.get(0);
    }

    public Instant notAfter() {
        return certificate().getNotAfter().toInstant();
    }

    /** Whole days until the certificate expires (negative once it has). */
    public long daysLeft(Clock clock) {
        return Math.floorDiv(Duration.between(clock.instant(), notAfter()).getSeconds(), Duration.ofDays(1).getSeconds());
    }

    /** SHA-256 of the certificate's DER encoding, as colon-separated upper-case hex (what PAN-OS shows). */
    public String sha256Fingerprint() {
        return fingerprint(certificate());
    }

    public static String fingerprint(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The chain in PEM, as the firewall's certificate import takes it. */
    public String pem() {
        StringBuilder out = new StringBuilder();
        Base64.Encoder base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
        for (X509Certificate c : chain) {
            try {
                out.append("-----BEGIN CERTIFICATE-----\n")
                        .append(base64.encodeToString(c.getEncoded()))
                        .append("\n-----END CERTIFICATE-----\n");
            } catch (CertificateEncodingException e) {
                throw new IllegalStateException(e);
            }
        }
        return out.toString();
    }

    /** One line for the log: subject, names, validity and fingerprint. */
    public String describe() {
        X509Certificate c = certificate();
        List<String> names = new ArrayList<>();
        try {
            if (c.getSubjectAlternativeNames() != null) {
                c.getSubjectAlternativeNames().forEach(n -> names.add(String.valueOf(n.get(1))));
            }
        } catch (java.security.cert.CertificateParsingException e) {
            names.add("(unreadable)");
        }
        return String.format(Locale.ROOT, "%s; subject %s; names %s; valid until %s; SHA-256 fingerprint %s",
                source, c.getSubjectX500Principal().getName(), names, notAfter(), sha256Fingerprint());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ServerCertificate other && alias.equals(other.alias) && chain.equals(other.chain)
                && Arrays.equals(password, other.password);
    }

    @Override
    public int hashCode() {
        return chain.hashCode();
    }

    @Override
    public String toString() {
        return "ServerCertificate[" + source + ", " + alias + "]";
    }
}
