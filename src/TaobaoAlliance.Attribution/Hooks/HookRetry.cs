namespace TaobaoAlliance.Attribution.Hooks;

/// <summary>
/// When a failed postback or webhook is tried again: exponential backoff from <paramref name="First"/>, doubling per
/// failure up to <paramref name="Longest"/>, with ±20 % jitter so receivers that failed together are not retried together.
/// </summary>
public sealed record HookRetry(TimeSpan First, TimeSpan Longest)
{
    /// <summary>
    /// The wait after the <paramref name="failures"/>-th failed try (1 = the first); <paramref name="jitter"/> in [0, 1)
    /// (a random draw; 0.5 is no jitter).
    /// </summary>
    public TimeSpan After(int failures, double jitter)
    {
        var exponent = Math.Clamp(failures - 1, 0, 30);
        var seconds = Math.Min(First.TotalSeconds * Math.Pow(2, exponent), Longest.TotalSeconds);
        return TimeSpan.FromSeconds(seconds * (0.8 + 0.4 * Math.Clamp(jitter, 0, 1)));
    }

    /// <summary>The next try's time, or null when it would fall after <paramref name="expiresAt"/>: the message is given up.</summary>
    public DateTimeOffset? Next(DateTimeOffset now, int failures, double jitter, DateTimeOffset expiresAt)
    {
        var next = now + After(failures, jitter);
        return next <= expiresAt ? next : null;
    }
}
