using CsCheck;
using TaobaoAlliance.Attribution.Commissions;
using TaobaoAlliance.Attribution.Ledger;
using TaobaoAlliance.Attribution.Orders;

namespace TaobaoAlliance.Attribution.Tests.Orders;

/// <summary>
/// How a refund is shared out (product.md, refunds): the amount a line gives back when the store names none,
/// what its commission gives back, and when an order ends as refunded. Amounts are worked out by hand.
/// </summary>
public sealed class RefundRulesTests
{
    private static readonly Rate TenPercent = new(1_000);

    /// <summary>A commission of 5.5 % on ¥100.00 with a 10 % fee: 550 commission, 55 fee, 495 webmaster.</summary>
    private static readonly CommissionTerms Plain = new(new Money(10_000), new Rate(550), TenPercent, SubsidyBonusBp: 0, SubsidyGranted: Money.Zero);

    // ---- what a line gives back ----

    [Fact]
    public void A_refund_takes_the_amount_the_store_states() =>
        RefundRules.ForLine(new LineAmounts(3, 30_000, 0, 0), quantity: 1, statedFen: 5_000).Should().Be(new LineRefund(5_000));

    [Theory]
    [InlineData(3, 10_000, 1, 3_333)] // 3 333.33…
    [InlineData(3, 10_001, 1, 3_334)] // 3 333.67
    [InlineData(2, 3, 1, 2)]          // 1.5, half away from zero
    [InlineData(4, 10_000, 2, 5_000)]
    public void Without_an_amount_a_refund_takes_the_lines_price_for_its_units(int quantity, long paidFen, int refunded, long expectedFen) =>
        RefundRules.ForLine(new LineAmounts(quantity, paidFen, 0, 0), refunded, statedFen: 0).Should().Be(new LineRefund(expectedFen));

    [Fact]
    public void The_last_units_take_all_that_is_left_so_rounding_leaves_no_fen_behind()
    {
        var line = new LineAmounts(3, 10_000, RefundedQuantity: 2, RefundedFen: 6_666);

        RefundRules.ForLine(line, quantity: 1, statedFen: 0).Should().Be(new LineRefund(3_334));
    }

    [Fact]
    public void A_refund_of_money_only_names_no_units()
    {
        // ¥699 back on a one-unit ¥1,699 line, then the rest of the money without units.
        var line = new LineAmounts(1, 169_900, RefundedQuantity: 1, RefundedFen: 69_900);

        RefundRules.ForLine(line, quantity: 0, statedFen: 100_000).Should().Be(new LineRefund(100_000));
    }

    [Fact]
    public void More_units_than_are_left_are_refused() =>
        RefundRules.ForLine(new LineAmounts(2, 1_000, 1, 500), quantity: 2, statedFen: 0).Refusal.Should().Be(LineRefundRefusal.MoreUnitsThanLeft);

    [Fact]
    public void More_money_than_is_left_is_refused_and_says_how_much_was_asked()
    {
        var refund = RefundRules.ForLine(new LineAmounts(1, 169_900, 1, 69_900), quantity: 0, statedFen: 100_001);

        refund.Should().Be(new LineRefund(100_001, LineRefundRefusal.MoreMoneyThanLeft));
    }

    // ---- what a commission gives back ----

    [Fact]
    public void Half_the_base_refunded_gives_back_the_difference_of_the_two_calculations()
    {
        // Left on ¥50.00: 275 commission, 27.5 → 28 fee, 247 webmaster.
        var refund = RefundRules.OnCommission(Plain, refundedBaseFen: 0, refundFen: 5_000);

        refund.Should().Be(new CommissionRefund(5_000, new CommissionAmounts(new Money(275), new Money(27), new Money(248), Money.Zero), FullyRefunded: false));
    }

    [Fact]
    public void The_rest_of_the_base_refunded_gives_back_the_rest_and_leaves_nothing()
    {
        var refund = RefundRules.OnCommission(Plain, refundedBaseFen: 5_000, refundFen: 5_000);

        refund.Should().Be(new CommissionRefund(10_000, new CommissionAmounts(new Money(275), new Money(28), new Money(247), Money.Zero), FullyRefunded: true));
    }

    [Fact]
    public void A_refund_never_takes_the_base_below_nothing() =>
        RefundRules.OnCommission(Plain, refundedBaseFen: 8_000, refundFen: 5_000).RefundedBaseFen.Should().Be(10_000);

    [Fact]
    public void A_subsidy_gives_back_what_it_no_longer_earns_and_never_more_than_was_granted()
    {
        // +20 % of the webmaster share, granted 99 on ¥100.00; on ¥50.00 left it earns 20 % of 247 = 49.4 → 49.
        var subsidised = Plain with { SubsidyBonusBp = 2_000, SubsidyGranted = new Money(99) };

        RefundRules.OnCommission(subsidised, 0, 5_000).GivenBack.Subsidy.Should().Be(new Money(50));
        // Capped at 60 when granted: 49 is still below it, so only 11 comes back.
        RefundRules.OnCommission(subsidised with { SubsidyGranted = new Money(60) }, 0, 5_000).GivenBack.Subsidy.Should().Be(new Money(11));
    }

    [Fact]
    public void Refunds_in_any_steps_give_back_exactly_the_whole_commission() =>
        Gen.Select(Gen.Long[1, 10_000_000], Gen.Int[0, 10_000], Gen.Int[0, 5_000], Gen.Int[1, 6]).Sample((baseFen, rateBp, bonusBp, steps) =>
        {
            var full = new CommissionTerms(new Money(baseFen), new Rate(rateBp), TenPercent, bonusBp, Money.Zero);
            var terms = full with { SubsidyGranted = full.RemainingOn(new Money(baseFen)).Webmaster.Times(new Rate(bonusBp)) };
            var whole = terms.RemainingOn(new Money(baseFen));
            CommissionAmounts givenBack = default;
            long refunded = 0;
            for (var step = 1; step <= steps; step++)
            {
                var refund = RefundRules.OnCommission(terms, refunded, step == steps ? baseFen - refunded : baseFen / steps);
                givenBack += refund.GivenBack;
                refunded = refund.RefundedBaseFen;
            }
            return givenBack == whole && refunded == baseFen;
        });

    // ---- when an order ends ----

    [Fact]
    public void An_order_ends_when_all_its_money_is_refunded() =>
        RefundRules.EndsOrder([new(2, 1_000, 2, 1_000), new(1, 500, 0, 500)]).Should().BeTrue();

    [Fact]
    public void Every_unit_refunded_but_money_left_keeps_the_order_open() =>
        RefundRules.EndsOrder([new(1, 169_900, 1, 69_900)]).Should().BeFalse();

    [Fact]
    public void An_order_that_cost_nothing_ends_when_every_unit_is_refunded()
    {
        RefundRules.EndsOrder([new(2, 0, 1, 0)]).Should().BeFalse();
        RefundRules.EndsOrder([new(2, 0, 2, 0)]).Should().BeTrue();
    }
}
