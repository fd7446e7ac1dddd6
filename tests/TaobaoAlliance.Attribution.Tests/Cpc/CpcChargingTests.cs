using TaobaoAlliance.Attribution.Cpc;

namespace TaobaoAlliance.Attribution.Tests.Cpc;

public sealed class CpcChargingTests
{
    private static readonly Money Price = new(30);

    [Fact]
    public void A_running_campaign_with_budget_left_is_charged_the_price() =>
        CpcCharging.Decide(campaignRunning: true, repeatClicker: false, Price, budgetLeft: new Money(30)).Should().Be(CpcChargeOutcome.Charged);

    [Fact]
    public void A_price_over_what_is_left_of_the_day_is_not_charged() =>
        CpcCharging.Decide(campaignRunning: true, repeatClicker: false, Price, budgetLeft: new Money(29)).Should().Be(CpcChargeOutcome.OverBudget);

    [Fact]
    public void A_repeat_clicker_clicks_free_even_with_budget_left() =>
        CpcCharging.Decide(campaignRunning: true, repeatClicker: true, Price, budgetLeft: new Money(1_000)).Should().Be(CpcChargeOutcome.RepeatFree);

    [Fact]
    public void A_stopped_campaign_pays_nothing_whatever_else_holds()
    {
        CpcCharging.Decide(campaignRunning: false, repeatClicker: true, Price, budgetLeft: Money.Zero).Should().Be(CpcChargeOutcome.CampaignStopped);
        CpcCharging.Decide(campaignRunning: false, repeatClicker: false, Price, budgetLeft: new Money(1_000)).Should().Be(CpcChargeOutcome.CampaignStopped);
    }

    [Fact]
    public void A_repeat_that_would_also_be_over_budget_is_a_free_repeat() =>
        CpcCharging.Decide(campaignRunning: true, repeatClicker: true, Price, budgetLeft: Money.Zero).Should().Be(CpcChargeOutcome.RepeatFree);

    [Theory]
    [InlineData(true, -1, null, true)]
    [InlineData(true, 0, null, true)]    // from its first instant
    [InlineData(true, 1, null, false)]   // not started yet
    [InlineData(true, -60, 0, false)]    // ended at this instant
    [InlineData(true, -60, 1, true)]
    [InlineData(false, -60, 60, false)]  // paused
    public void A_campaign_runs_while_active_and_inside_its_schedule(bool active, int startsInMinutes, int? endsInMinutes, bool running)
    {
        var now = new DateTimeOffset(2026, 11, 1, 8, 0, 0, TimeSpan.Zero);
        CpcCharging.IsRunning(active, now.AddMinutes(startsInMinutes), endsInMinutes is { } e ? now.AddMinutes(e) : null, now).Should().Be(running);
    }
}
