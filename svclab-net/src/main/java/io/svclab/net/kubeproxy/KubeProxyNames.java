package io.svclab.net.kubeproxy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * kube-proxy's chain names: {@code KUBE-SVC-} / {@code KUBE-SEP-} plus the first 16 characters of
 * base32 (RFC 4648 standard alphabet) of SHA-256 over the service port name, the lower-case
 * protocol and, for endpoint chains, the endpoint {@code ip:port} ({@code portProtoHash},
 * {@code servicePortEndpointChainName} in pkg/proxy/iptables/proxier.go).
 */
public final class KubeProxyNames {

    private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();

    private KubeProxyNames() {
    }

    /** {@code KUBE-SVC-<hash16>}. */
    public static String serviceChain(String servicePortName, String protocol) {
        return "KUBE-SVC-" + hash16(servicePortName + protocol);
    }

    /** {@code KUBE-SEP-<hash16>}. */
    public static String endpointChain(String servicePortName, String protocol, String endpoint) {
        return "KUBE-SEP-" + hash16(servicePortName + protocol + endpoint);
    }

    /** The first 16 base32 characters of SHA-256 of the text. */
    public static String hash16(String text) {
        byte[] h;
        try {
            h = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
        StringBuilder b = new StringBuilder(16);
        int buffer = 0;
        int bits = 0;
        int i = 0;
        while (b.length() < 16) {
            if (bits < 5) {
                buffer = (buffer << 8) | (h[i++] & 0xFF);
                bits += 8;
            }
            b.append(ALPHABET[(buffer >> (bits - 5)) & 31]);
            bits -= 5;
        }
        return b.toString();
    }
}
