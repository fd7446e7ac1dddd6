using System.Diagnostics.Metrics;

namespace TaobaoAlliance.Application.Cpc;

/// <summary>
/// Metrics of the smart-zone auction, on the meter <c>TaobaoAlliance.Cpc</c>: zone views with or without
/// an ad, ad clicks by what became of them (charged, repeat_free, over_budget, wallet_empty,
/// campaign_stopped, replayed, expired, forged, invalid), and the fen charged.
/// </summary>
public sealed class CpcMetrics
{
    public const string MeterName = "TaobaoAlliance.Cpc";

    private readonly Counter<long> views;
    private readonly Counter<long> clicks;
    private readonly Counter<long> chargedFen;

    public CpcMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        views = meter.CreateCounter<long>("alliance.cpc.zone_views", "{view}", "Smart-zone views, by whether an ad was served");
        clicks = meter.CreateCounter<long>("alliance.cpc.clicks", "{click}", "Clicks on served ads, by outcome");
        chargedFen = meter.CreateCounter<long>("alliance.cpc.charged", "fen", "Money charged to sellers for ad clicks");
    }

    public void ZoneViewed(bool served) => views.Add(1, new KeyValuePair<string, object?>("ad", served));

    public void Clicked(string outcome, long priceFen)
    {
        clicks.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
        if (priceFen > 0) chargedFen.Add(priceFen);
    }
}
