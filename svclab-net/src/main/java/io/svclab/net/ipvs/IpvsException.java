package io.svclab.net.ipvs;

/**
 * A refused IPVS configuration change; the message is what ipvsadm prints for the kernel's errno
 * ({@code ipvs_strerror}), e.g. {@code Service not defined} or {@code Destination already exists}.
 */
public final class IpvsException extends Exception {

    private static final long serialVersionUID = 1L;

    public IpvsException(String message) {
        super(message);
    }
}
