using System.Diagnostics.Metrics;

namespace TaobaoAlliance.Application.Clicks;

/// <summary>
/// Metrics of the click path, on the meter <c>TaobaoAlliance.Clicks</c>: clicks by validity and reason,
/// the sizes of the batches the <see cref="ClickWriter"/> commits, and the clicks that had to be written
/// on their own. Created through <see cref="IMeterFactory"/>, so each app (and each test host) has its own.
/// </summary>
public sealed class ClickMetrics
{
    public const string MeterName = "TaobaoAlliance.Clicks";

    private readonly Counter<long> clicks;
    private readonly Histogram<int> batchSize;
    private readonly Counter<long> fallbackWrites;

    public ClickMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        clicks = meter.CreateCounter<long>("alliance.clicks", "{click}", "Clicks recorded, by validity and invalid reason");
        batchSize = meter.CreateHistogram<int>("alliance.click_writer.batch_size", "{click}", "Clicks committed together by one write of the click writer");
        fallbackWrites = meter.CreateCounter<long>("alliance.click_writer.fallback_writes", "{click}", "Clicks written on their own because their batch failed");
    }

    public void ClickRecorded(bool isValid, string? invalidReason) =>
        clicks.Add(1, new KeyValuePair<string, object?>("valid", isValid), new KeyValuePair<string, object?>("reason", invalidReason ?? "none"));

    public void BatchCommitted(int size) => batchSize.Record(size);

    public void FallbackWrite() => fallbackWrites.Add(1);
}
