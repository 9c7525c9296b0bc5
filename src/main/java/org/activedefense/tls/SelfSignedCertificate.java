package org.activedefense.tls;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.IPAddress;

/**
 * The certificate the service makes for itself when no key store is configured: generated once,
 * kept as {@code certificate.pem} and {@code private-key.pem} in a folder under data/, and reused
 * on every later start so the fingerprint the firewall admin imported stays valid.
 *
 * <p>Only the JDK's own providers sign (SHA256withRSA / SHA256withECDSA); Bouncy Castle builds the
 * X.509 structure and reads and writes PEM.
 */
public final class SelfSignedCertificate {

    public static final String CERTIFICATE_FILE = "certificate.pem";
    public static final String KEY_FILE = "private-key.pem";
    static final String ALIAS = "active-defense";

    /** What a new certificate looks like. */
    public record Spec(List<String> names, int validityDays, String keyType) {
        public Spec {
            if (validityDays < 1) {
                throw new IllegalArgumentException("tls.self-signed.validity-days must be at least 1, not " + validityDays);
            }
            String type = keyType.trim().toUpperCase(Locale.ROOT);
            if (!type.equals("RSA") && !type.equals("EC")) {
                throw new IllegalArgumentException("tls.self-signed.key-type must be RSA or EC, not '" + keyType + "'");
            }
            keyType = type;
            names = names.isEmpty() ? defaultNames() : List.copyOf(names);
        }
    }

    private SelfSignedCertificate() {
    }

    /** The host's name, localhost and 127.0.0.1: what a certificate made with no names configured covers. */
    public static List<String> defaultNames() {
        Set<String> names = new LinkedHashSet<>();
        try {
            String host = InetAddress.getLocalHost().getHostName();
            if (host != null && !host.isBlank()) {
                names.add(host);
            }
        } catch (IOException e) {
            // no resolvable host name: localhost and 127.0.0.1 still work
        }
        names.add("localhost");
        names.add("127.0.0.1");
        return List.copyOf(names);
    }

    /** Reads the certificate kept in {@code folder}, or makes, writes and returns a new one. */
    public static ServerCertificate loadOrCreate(Path folder, Spec spec, Clock clock)
            throws IOException, GeneralSecurityException {
        Path certificateFile = folder.resolve(CERTIFICATE_FILE);
        Path keyFile = folder.resolve(KEY_FILE);
        if (Files.exists(certificateFile) && Files.exists(keyFile)) {
            return load(certificateFile, keyFile, "self-signed certificate " + certificateFile);
        }
        KeyPair keys = newKeyPair(spec.keyType());
        X509Certificate certificate = sign(keys, spec, clock.instant());
        Files.createDirectories(folder);
        restrict(folder, "rwx------");
        // The key first and with owner-only access from the moment it exists; the certificate last,
        // since its presence means "both are complete".
        Path keyTemp = Files.createTempFile(folder, KEY_FILE, ".tmp");
        restrict(keyTemp, "rw-------");
        writePem(keyTemp, keys.getPrivate());
        Files.move(keyTemp, keyFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        Path certificateTemp = Files.createTempFile(folder, CERTIFICATE_FILE, ".tmp");
        writePem(certificateTemp, certificate);
        Files.move(certificateTemp, certificateFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return toServerCertificate(keys.getPrivate(), certificate, "self-signed certificate " + certificateFile
                + " (generated now)");
    }

    /** Makes a self-signed certificate for {@code keys} valid from {@code now} (tests use it for short-lived ones). */
    public static X509Certificate sign(KeyPair keys, Spec spec, Instant now) throws GeneralSecurityException {
        X500NameBuilder subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.CN, spec.names().get(0))
                .addRDN(BCStyle.O, "ActiveDefense");
        X500Name name = subject.build();
        BigInteger serial = new BigInteger(127, new SecureRandom());
        // a little back-dating absorbs clock skew between this host and the firewall
        Instant notBefore = now.minus(Duration.ofHours(1));
        Instant notAfter = now.plus(Duration.ofDays(spec.validityDays()));
        try {
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial,
                    java.util.Date.from(notBefore), java.util.Date.from(notAfter), name, keys.getPublic());
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.subjectAlternativeName, false, alternativeNames(spec.names()));
            // a CA:TRUE self-signed leaf is what certificate profiles (PAN-OS among them) accept as a trust anchor
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature
                    | KeyUsage.keyEncipherment | KeyUsage.keyCertSign));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            builder.addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(keys.getPublic()));
            String algorithm = keys.getPrivate().getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
            X509CertificateHolder holder = builder.build(new JcaContentSignerBuilder(algorithm).build(keys.getPrivate()));
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (OperatorCreationException | IOException e) {
            throw new GeneralSecurityException("cannot build the self-signed certificate", e);
        }
    }

    public static KeyPair newKeyPair(String keyType) throws GeneralSecurityException {
        if (keyType.equals("EC")) {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        }
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    private static GeneralNames alternativeNames(List<String> names) {
        List<GeneralName> out = new ArrayList<>();
        for (String n : names) {
            boolean address = IPAddress.isValid(n);
            out.add(new GeneralName(address ? GeneralName.iPAddress : GeneralName.dNSName, n));
        }
        return new GeneralNames(out.toArray(GeneralName[]::new));
    }

    private static ServerCertificate load(Path certificateFile, Path keyFile, String source)
            throws IOException, GeneralSecurityException {
        X509Certificate certificate;
        try (Reader in = Files.newBufferedReader(certificateFile, StandardCharsets.US_ASCII);
             PEMParser pem = new PEMParser(in)) {
            Object read = pem.readObject();
            if (!(read instanceof X509CertificateHolder holder)) {
                throw new GeneralSecurityException(certificateFile + " holds no PEM certificate");
            }
            certificate = new JcaX509CertificateConverter().getCertificate(holder);
        }
        PrivateKey key;
        try (Reader in = Files.newBufferedReader(keyFile, StandardCharsets.US_ASCII);
             PEMParser pem = new PEMParser(in)) {
            Object read = pem.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (read instanceof PrivateKeyInfo info) {
                key = converter.getPrivateKey(info);
            } else if (read instanceof PEMKeyPair pair) {
                key = converter.getKeyPair(pair).getPrivate();
            } else {
                throw new GeneralSecurityException(keyFile + " holds no unencrypted PEM private key");
            }
        }
        return toServerCertificate(key, certificate, source);
    }

    private static ServerCertificate toServerCertificate(PrivateKey key, X509Certificate certificate, String source)
            throws GeneralSecurityException, IOException {
        // the key never leaves memory in this form; the password only satisfies the KeyStore API
        char[] password = new BigInteger(130, new SecureRandom()).toString(32).toCharArray();
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry(ALIAS, key, password, new Certificate[] {certificate});
        return new ServerCertificate(store, ALIAS, password, List.of(certificate), source);
    }

    private static void writePem(Path file, Object value) throws IOException {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII);
             JcaPEMWriter pem = new JcaPEMWriter(out)) {
            pem.writeObject(value instanceof PrivateKey key ? new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key, null) : value);
        }
    }

    private static void restrict(Path path, String permissions) throws IOException {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system (Windows): the folder's own ACLs apply
        }
    }
}
