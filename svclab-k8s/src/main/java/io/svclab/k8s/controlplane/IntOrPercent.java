package io.svclab.k8s.controlplane;

/**
 * A Deployment strategy bound, either an absolute number of pods or a percentage of the desired
 * replicas (Kubernetes {@code intstr.IntOrString} as used by {@code maxSurge} and
 * {@code maxUnavailable}).
 *
 * @param value the number, or the percentage when {@code percent}; never negative
 * @param percent whether {@code value} is a percentage
 */
public record IntOrPercent(int value, boolean percent) {

    /** The Kubernetes default of both {@code maxSurge} and {@code maxUnavailable}: 25%. */
    public static final IntOrPercent DEFAULT = new IntOrPercent(25, true);

    public IntOrPercent {
        if (value < 0) {
            throw new IllegalArgumentException("must not be negative: " + value + (percent ? "%" : ""));
        }
    }

    /** An absolute number of pods. */
    public static IntOrPercent of(int pods) {
        return new IntOrPercent(pods, false);
    }

    /** A percentage of the desired replicas. */
    public static IntOrPercent percent(int percent) {
        return new IntOrPercent(percent, true);
    }

    /** Parses {@code "1"} or {@code "25%"}. */
    public static IntOrPercent parse(String text) {
        String t = text.trim();
        try {
            if (t.endsWith("%")) {
                return percent(Integer.parseInt(t.substring(0, t.length() - 1).trim()));
            }
            return of(Integer.parseInt(t));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number or a percentage: '" + text + "'", e);
        }
    }

    /**
     * The number of pods this stands for out of {@code total}, as
     * {@code intstr.GetScaledValueFromIntOrPercent}: a percentage is rounded up ({@code maxSurge})
     * or down ({@code maxUnavailable}); an absolute number is returned as it is.
     */
    public int scaledValue(int total, boolean roundUp) {
        if (!percent) {
            return value;
        }
        long product = (long) value * total;
        return (int) (roundUp ? (product + 99) / 100 : product / 100);
    }

    @Override
    public String toString() {
        return percent ? value + "%" : Integer.toString(value);
    }
}
