using TaobaoAlliance.Attribution.Cpc;

namespace TaobaoAlliance.Attribution.Tests.Cpc;

public sealed class BidAdvisorTests
{
    [Fact]
    public void Ten_yuan_profit_at_one_percent_breaks_even_at_ten_fen_a_click()
    {
        var advice = BidAdvisor.Advise(1m, Money.FromYuan(10m), Money.Zero);

        advice.BreakEvenBid.Should().Be(new Money(10));
        advice.BreakEvenBid.ToString().Should().Be("¥0.10");
        advice.ClicksPerOrder.Should().Be(100m);
    }

    [Fact]
    public void At_two_percent_a_ten_yuan_order_takes_fifty_clicks_which_cost_five_yuan_at_a_ten_fen_bid()
    {
        var advice = BidAdvisor.Advise(2m, Money.FromYuan(10m), Money.Zero);

        advice.ClicksPerOrder.Should().Be(50m);
        advice.ClicksText.Should().Be("50");
        advice.CostPerOrder(new Money(10)).Should().Be(Money.FromYuan(5m));
        BidAdvisor.CostPerOrder(new Money(10), 2m).ToString().Should().Be("¥5.00");
        advice.BreakEvenBid.Should().Be(new Money(20), "at 2 % the same order is worth twice as much per click");
    }

    // Issue 15: "the bid advisor's sentence prices clicks at the old bid". The sentence is about the bid it suggests.
    [Fact]
    public void The_advice_prices_an_order_at_the_suggested_bid_not_at_the_bid_the_seller_had()
    {
        var advice = BidAdvisor.Advise(2m, Money.FromYuan(10m), Money.Zero);
        var oldBid = new Money(10);

        advice.SuggestedBid(Money.FromYuan(99m)).Should().Be(new Money(20));
        advice.CostPerOrderAtSuggestedBid(Money.FromYuan(99m)).Should().Be(Money.FromYuan(10m), "50 clicks at the suggested ¥0.20");
        advice.CostPerOrderAtSuggestedBid(Money.FromYuan(99m)).Should().NotBe(advice.CostPerOrder(oldBid));
    }

    [Fact]
    public void The_suggested_bid_never_passes_the_highest_bid()
    {
        var advice = BidAdvisor.Advise(100m, Money.FromYuan(500m), Money.Zero);

        advice.SuggestedBid(Money.FromYuan(99m)).Should().Be(Money.FromYuan(99m));
        advice.CostPerOrderAtSuggestedBid(Money.FromYuan(99m)).Should().Be(Money.FromYuan(99m));
    }

    [Fact]
    public void Expected_repeat_profit_is_added_to_the_profit_per_order()
    {
        // ¥10 now and ¥15 later is ¥25 per customer: 1 % of it is ¥0.25 a click.
        var advice = BidAdvisor.Advise(1m, Money.FromYuan(10m), Money.FromYuan(15m));

        advice.ProfitPerCustomer.Should().Be(Money.FromYuan(25m));
        advice.BreakEvenBid.Should().Be(new Money(25));
    }

    [Theory]
    [InlineData("3.33", 1000, 33)]     // 33.3 fen: rounded down, 34 fen would lose money
    [InlineData("1.5", 999, 14)]       // 14.985 fen: down to 14, never half-up to 15
    [InlineData("0.01", 500, 0)]       // 0.05 fen: nothing a click is worth paying for
    [InlineData("100", 1234, 1234)]    // every click an order: the whole profit
    public void The_break_even_bid_is_rounded_down_to_whole_fen(string percent, long profitFen, long expectedFen) =>
        BidAdvisor.Advise(decimal.Parse(percent, System.Globalization.CultureInfo.InvariantCulture), new Money(profitFen), Money.Zero)
            .BreakEvenBid.Should().Be(new Money(expectedFen));

    [Theory]
    [InlineData(10, "3", 333)]   // 333.33 fen
    [InlineData(5, "3", 167)]    // 166.67 fen
    [InlineData(1, "40", 3)]     // 2.5 fen: half away from zero
    public void The_cost_of_an_order_is_rounded_half_away_from_zero(long bidFen, string percent, long expectedFen) =>
        BidAdvisor.CostPerOrder(new Money(bidFen), decimal.Parse(percent, System.Globalization.CultureInfo.InvariantCulture))
            .Should().Be(new Money(expectedFen));

    [Fact]
    public void Clicks_per_order_keep_their_fraction_and_read_with_one_decimal()
    {
        var advice = BidAdvisor.Advise(3m, Money.FromYuan(10m), Money.Zero);

        advice.ClicksPerOrder.Should().BeApproximately(33.3333m, 0.0001m);
        advice.ClicksText.Should().Be("33.3");
        advice.RateText.Should().Be("3 %");
    }

    [Theory]
    [InlineData("0", 1000, 0)]
    [InlineData("-1", 1000, 0)]
    [InlineData("100.01", 1000, 0)]
    [InlineData("1", 0, 0)]
    [InlineData("1", -100, 0)]
    [InlineData("1", 1000, -1)]
    public void Zero_or_impossible_inputs_are_refused(string percent, long profitFen, long repeatFen)
    {
        var act = () => BidAdvisor.Advise(decimal.Parse(percent, System.Globalization.CultureInfo.InvariantCulture), new Money(profitFen), new Money(repeatFen));

        act.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void The_cost_of_an_order_needs_a_real_rate_and_a_bid_that_is_not_negative()
    {
        ((Action)(() => BidAdvisor.CostPerOrder(new Money(10), 0m))).Should().Throw<ArgumentOutOfRangeException>();
        ((Action)(() => BidAdvisor.CostPerOrder(new Money(-1), 1m))).Should().Throw<ArgumentOutOfRangeException>();
    }
}
