package io.svclab.scenario;

/**
 * A Kubernetes int-or-string such as {@code maxSurge: 1} or {@code maxSurge: "25%"}.
 *
 * @param value the number, or the percentage when {@code percent}
 * @param percent whether {@code value} is a percentage of the replicas
 */
public record IntOrPercent(int value, boolean percent) {

    /**
     * The absolute number for a deployment of {@code replicas} pods; percentages round up for
     * {@code maxSurge} and down for {@code maxUnavailable}, as the Deployment controller does.
     */
    public int resolve(int replicas, boolean roundUp) {
        if (!percent) {
            return value;
        }
        long scaled = (long) value * replicas;
        return (int) (roundUp ? (scaled + 99) / 100 : scaled / 100);
    }

    /** {@code 1} or {@code 25%}. */
    @Override
    public String toString() {
        return percent ? value + "%" : Integer.toString(value);
    }
}
