namespace TaobaoAlliance.Attribution.Clicks;

/// <summary>
/// What a click id says about when the click happened. Click ids are UUIDv7 made from the click's own time
/// (<c>Guid.CreateVersion7(occurredAt)</c>), and the clicks table is partitioned by that time: a lookup by id
/// alone would probe every day's partition, a lookup by id within <see cref="OccurredRange"/> one or two.
/// </summary>
public static class ClickIds
{
    /// <summary>
    /// Room either side of the id's millisecond. The id and occurred_at come from the same instant, but a click
    /// made elsewhere (a data load, an import) may round differently; an hour still prunes to one or two days.
    /// </summary>
    public static readonly TimeSpan Slack = TimeSpan.FromHours(1);

    /// <summary>The instant a UUIDv7 carries (its first 48 bits, Unix milliseconds); null for any other version.</summary>
    public static DateTimeOffset? TimeOf(Guid id)
    {
        if (id.Version != 7) return null;
        Span<byte> bytes = stackalloc byte[16];
        id.TryWriteBytes(bytes, bigEndian: true, out _);
        long milliseconds = 0;
        for (var i = 0; i < 6; i++) milliseconds = (milliseconds << 8) | bytes[i];
        return milliseconds <= DateTimeOffset.MaxValue.ToUnixTimeMilliseconds() ? DateTimeOffset.FromUnixTimeMilliseconds(milliseconds) : null;
    }

    /// <summary>Where the click with this id happened, give or take <see cref="Slack"/>; null when the id does not say.</summary>
    public static (DateTimeOffset From, DateTimeOffset To)? OccurredRange(Guid id) =>
        TimeOf(id) is { } at ? (at - Slack, at + Slack) : null;
}
