package io.svclab.net.ipvs;

/**
 * Counters of {@code struct ip_vs_stats} (service, destination, or the namespace total): entries
 * created and packets/bytes in each direction, plus the rate estimates {@code --rate} prints.
 * The estimator ({@code ip_vs_est.c}) is not modelled: rates stay 0.
 */
public final class IpvsStats {

    long conns;
    long inPkts;
    long outPkts;
    long inBytes;
    long outBytes;
    long cps;
    long inPps;
    long outPps;
    long inBps;
    long outBps;

    public long conns() {
        return conns;
    }

    public long inPkts() {
        return inPkts;
    }

    public long outPkts() {
        return outPkts;
    }

    public long inBytes() {
        return inBytes;
    }

    public long outBytes() {
        return outBytes;
    }

    public long cps() {
        return cps;
    }

    public long inPps() {
        return inPps;
    }

    public long outPps() {
        return outPps;
    }

    public long inBps() {
        return inBps;
    }

    public long outBps() {
        return outBps;
    }
}
