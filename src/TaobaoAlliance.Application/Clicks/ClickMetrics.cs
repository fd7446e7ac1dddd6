using System.Diagnostics.Metrics;

namespace TaobaoAlliance.Application.Clicks;

/// <summary>
/// Metrics of the click path, on the meter <c>TaobaoAlliance.Clicks</c>: clicks by validity and reason,
/// the sizes of the batches the <see cref="ClickWriter"/> commits, the clicks that had to be written
/// on their own, and the clicks spooled while PostgreSQL was away and replayed after. Created through <see cref="IMeterFactory"/>, so each app (and each test host) has its own.
/// </summary>
public sealed class ClickMetrics
{
    public const string MeterName = "TaobaoAlliance.Clicks";

    private readonly Counter<long> clicks;
    private readonly Histogram<int> batchSize;
    private readonly Counter<long> fallbackWrites;
    private readonly Counter<long> spooled;
    private readonly Counter<long> replayed;

    public ClickMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        clicks = meter.CreateCounter<long>("alliance.clicks", "{click}", "Clicks recorded, by validity and invalid reason");
        batchSize = meter.CreateHistogram<int>("alliance.click_writer.batch_size", "{click}", "Clicks committed together by one write of the click writer");
        fallbackWrites = meter.CreateCounter<long>("alliance.click_writer.fallback_writes", "{click}", "Clicks written on their own because their batch failed");
        spooled = meter.CreateCounter<long>("alliance.click_spool.spooled", "{click}", "Clicks kept in the local spool because PostgreSQL could not take them");
        replayed = meter.CreateCounter<long>("alliance.click_spool.replayed", "{click}", "Spooled clicks written into PostgreSQL once it was back");
    }

    public void ClickRecorded(bool isValid, string? invalidReason) =>
        clicks.Add(1, new KeyValuePair<string, object?>("valid", isValid), new KeyValuePair<string, object?>("reason", invalidReason ?? "none"));

    public void BatchCommitted(int size) => batchSize.Record(size);

    public void FallbackWrite() => fallbackWrites.Add(1);

    public void Spooled(int count) => spooled.Add(count);

    public void Replayed(int count) => replayed.Add(count);
}
