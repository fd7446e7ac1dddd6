using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Web.Cpc;
using TaobaoAlliance.Application.Cpc;

namespace TaobaoAlliance.Web.Tests.Cpc;

/// <summary>The smart-zone metrics count what the ad path did: views, clicks by outcome, money charged.</summary>
public sealed class CpcMetricsTests(AllianceApp app) : IClassFixture<AllianceApp>
{
    [Fact]
    public async Task Views_clicks_by_outcome_and_the_money_charged_are_counted()
    {
        var world = await CpcWorld.CreateAsync(app);
        await world.NewCampaignAsync(await world.NewSellerAsync(Money.FromYuan(100)), bidFen: 40, dailyBudgetFen: 5_000);
        var zone = await world.NewSmartZoneAsync();
        var measurements = new ConcurrentQueue<(string Instrument, long Value, string Tag)>();
        using var listener = new MeterListener();
        var meterFactory = app.Services.GetRequiredService<IMeterFactory>();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == CpcMetrics.MeterName && instrument.Meter.Scope == meterFactory) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            measurements.Enqueue((instrument.Name, value, tags.Length > 0 ? $"{tags[0].Key}={tags[0].Value}" : "")));
        listener.Start();

        var token = (await world.ServeAsync(zone.ZoneId))!;
        await world.ClickAsync(token);
        await world.ClickAsync(token);
        await world.ClickAsync("forged-token");

        measurements.Should().Contain([
            ("alliance.cpc.zone_views", 1L, "ad=True"),
            ("alliance.cpc.clicks", 1L, "outcome=charged"),
            ("alliance.cpc.charged", 5L, ""),
            ("alliance.cpc.clicks", 1L, "outcome=replayed"),
            ("alliance.cpc.clicks", 1L, "outcome=forged"),
        ]);
    }
}
