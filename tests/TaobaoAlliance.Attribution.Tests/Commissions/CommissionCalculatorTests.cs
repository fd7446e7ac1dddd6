using CsCheck;
using TaobaoAlliance.Attribution.Commissions;
using TaobaoAlliance.Attribution.Ledger;

namespace TaobaoAlliance.Attribution.Tests.Commissions;

/// <summary>
/// What an order line earns (product.md, "Rules of money"): paid × rate, the platform keeps 10 % of it,
/// the webmaster the rest, each rounded half away from zero to whole fen per line. Every expected
/// amount below is worked out by hand.
/// </summary>
public sealed class CommissionCalculatorTests
{
    private const long Shop = 400;
    private const long ClickedItem = 300;
    private const long OtherItem = 301;
    private static readonly Rate TenPercent = new(1_000);

    /// <summary>A click on item 300 of shop 400 when the item paid 5.5 % and the shop 2 %.</summary>
    private static readonly ClickFacts Click = new(
        Guid.Parse("6f1c2a55-0000-4000-8000-000000000001"), new DateTimeOffset(2025, 6, 1, 9, 0, 0, TimeSpan.Zero),
        IsValid: true, InvalidReason: null, WebmasterId: 17, SiteId: 23, ItemId: ClickedItem, ShopId: Shop, ItemRateBp: 550, ShopRateBp: 200);

    // ---- which rate a line earns ----

    [Fact]
    public void The_clicked_item_earns_its_rate_at_click_time()
    {
        var line = CommissionCalculator.ForLine(Click, Shop, ClickedItem, new Money(10_000), TenPercent);

        line.Should().NotBeNull();
        line!.RateBp.Should().Be(550);
        line.RateKind.Should().Be(CommissionCalculator.ClickedItem).And.Be("clicked_item");
        line.Base.Should().Be(new Money(10_000));
        line.Amounts.Should().Be(new CommissionAmounts(new Money(550), new Money(55), new Money(495), Money.Zero));
    }

    [Fact]
    public void The_rate_is_the_one_snapshot_on_the_click_not_a_later_one()
    {
        // The same item clicked when its rate was 8 %: that click carries 800 bp, whatever the item pays today.
        var earlierClick = Click with { ItemRateBp = 800 };

        var line = CommissionCalculator.ForLine(earlierClick, Shop, ClickedItem, new Money(10_000), TenPercent)!;

        line.RateBp.Should().Be(800);
        line.Amounts.Commission.Should().Be(new Money(800));
    }

    [Fact]
    public void Another_item_of_the_clicked_shop_earns_the_shops_general_rate()
    {
        var line = CommissionCalculator.ForLine(Click, Shop, OtherItem, new Money(10_000), TenPercent);

        line.Should().NotBeNull();
        line!.RateBp.Should().Be(200);
        line.RateKind.Should().Be(CommissionCalculator.ShopGeneral).And.Be("shop_general");
        line.Amounts.Should().Be(new CommissionAmounts(new Money(200), new Money(20), new Money(180), Money.Zero));
    }

    [Theory]
    [InlineData(OtherItem)]
    [InlineData(ClickedItem)] // even an item with the clicked item's id, if the line is another shop's
    public void Items_of_another_shop_earn_nothing(long itemId) =>
        CommissionCalculator.ForLine(Click, lineShopId: 401, itemId, new Money(10_000), TenPercent).Should().BeNull();

    [Fact]
    public void The_explanation_shows_the_calculation_in_yuan()
    {
        var clicked = CommissionCalculator.ForLine(Click, Shop, ClickedItem, new Money(10_000), TenPercent)!;
        var other = CommissionCalculator.ForLine(Click, Shop, OtherItem, new Money(10_000), TenPercent)!;

        clicked.Explanation.Should().Contain("¥100.00 × 5.5 % = ¥5.50").And.Contain("the clicked item")
            .And.Contain("platform fee 10 % = ¥0.55").And.Contain("webmaster ¥4.95");
        other.Explanation.Should().Contain("¥100.00 × 2 % = ¥2.00").And.Contain("shop's general rate");
    }

    [Fact]
    public void Rounding_is_per_line_not_per_order()
    {
        // Two lines of ¥0.15 at 10 %: 1.5 fen each, rounded to 2 per line = 4 fen; on the order total (¥0.30) it would be 3.
        var clickAtTen = Click with { ItemRateBp = 1_000, ShopRateBp = 1_000 };

        var first = CommissionCalculator.ForLine(clickAtTen, Shop, ClickedItem, new Money(15), TenPercent)!;
        var second = CommissionCalculator.ForLine(clickAtTen, Shop, OtherItem, new Money(15), TenPercent)!;

        (first.Amounts.Commission + second.Amounts.Commission).Should().Be(new Money(4));
    }

    // ---- the split: commission, platform fee, webmaster ----

    [Theory]
    // paid fen, rate bp  → commission, fee (10 %), webmaster
    [InlineData(10_000, 550, 550, 55, 495)]           // ¥100 at 5.5 %
    [InlineData(5, 1_000, 1, 0, 1)]                   // 0.5 fen rounds up to 1; its fee 0.1 rounds to 0
    [InlineData(1, 5_000, 1, 0, 1)]                   // 0.5 fen again, from a 50 % rate
    [InlineData(15, 1_000, 2, 0, 2)]                  // 1.5 → 2
    [InlineData(25, 1_000, 3, 0, 3)]                  // 2.5 → 3, not to the even 2
    [InlineData(14, 1_000, 1, 0, 1)]                  // 1.4 → 1
    [InlineData(4, 1_000, 0, 0, 0)]                   // 0.4 → nothing at all
    [InlineData(50, 1_000, 5, 1, 4)]                  // the fee of 5 fen is 0.5 → 1
    [InlineData(150, 1_000, 15, 2, 13)]               // fee 1.5 → 2
    [InlineData(250, 1_000, 25, 3, 22)]               // fee 2.5 → 3
    [InlineData(9_999, 5, 5, 1, 4)]                   // 4.9995 → 5; fee 0.5 → 1
    [InlineData(12_345, 123, 152, 15, 137)]           // 151.8435 → 152; fee 15.2 → 15
    [InlineData(0, 550, 0, 0, 0)]                     // nothing paid, nothing earned
    [InlineData(10_000, 0, 0, 0, 0)]                  // a 0 % rate earns nothing
    [InlineData(1_000_000_000, 550, 55_000_000, 5_500_000, 49_500_000)]       // ¥10,000,000 at 5.5 %
    [InlineData(1_000_000_000, 10_000, 1_000_000_000, 100_000_000, 900_000_000)] // ¥10,000,000 at 100 %
    [InlineData(999_999_999, 333, 33_300_000, 3_330_000, 29_970_000)]      // 33,299,999.9667 → 33,300,000
    [InlineData(9_007_199_254_740_993, 1_000, 900_719_925_474_099, 90_071_992_547_410, 810_647_932_926_689)] // 2^53 + 1 fen: no floating point
    [InlineData(9_007_199_254_740_993, 5_000, 4_503_599_627_370_497, 450_359_962_737_050, 4_053_239_664_633_447)] // its half fen survives (a double would lose it)
    public void Commission_fee_and_webmaster_share_round_half_away_from_zero_per_line(
        long paidFen, int rateBp, long commissionFen, long feeFen, long webmasterFen)
    {
        var amounts = CommissionCalculator.Split(new Money(paidFen), new Rate(rateBp), TenPercent);

        amounts.Should().Be(new CommissionAmounts(new Money(commissionFen), new Money(feeFen), new Money(webmasterFen), Money.Zero));
    }

    [Fact]
    public void The_fee_rate_is_the_one_passed_in()
    {
        // ¥100 at 5.5 % = 550 fen; a 15 % fee is 82.5 → 83, the webmaster keeps 467.
        CommissionCalculator.Split(new Money(10_000), new Rate(550), new Rate(1_500))
            .Should().Be(new CommissionAmounts(new Money(550), new Money(83), new Money(467), Money.Zero));
    }

    [Fact]
    public void With_a_zero_fee_the_webmaster_gets_the_whole_commission() =>
        CommissionCalculator.Split(new Money(10_000), new Rate(550), new Rate(0))
            .Should().Be(new CommissionAmounts(new Money(550), Money.Zero, new Money(550), Money.Zero));

    [Fact]
    public void Fee_and_webmaster_share_add_up_to_the_commission_for_any_amount_and_rate() =>
        Gen.Select(Gen.Long[0, 100_000_000_000_000], Gen.Int[0, 10_000], Gen.Int[0, 10_000])
            .Sample((paidFen, rateBp, feeBp) =>
            {
                var a = CommissionCalculator.Split(new Money(paidFen), new Rate(rateBp), new Rate(feeBp));

                (a.PlatformFee + a.Webmaster).Should().Be(a.Commission);
                a.Subsidy.Should().Be(Money.Zero);
                a.PlatformFee.Fen.Should().BeInRange(0, a.Commission.Fen);
                a.Webmaster.Fen.Should().BeInRange(0, a.Commission.Fen);
                // commission is paid × rate to the nearest fen, a half fen going up: 10000·c − paid·rate ∈ (−5000, 5000].
                ShouldBeRoundedHalfUp(a.Commission.Fen, paidFen, rateBp);
                ShouldBeRoundedHalfUp(a.PlatformFee.Fen, a.Commission.Fen, feeBp);
            }, iter: 20_000);

    [Fact]
    public void At_the_default_ten_percent_fee_every_amount_up_to_a_hundred_yuan_splits_exactly()
    {
        foreach (var rateBp in new[] { 1, 99, 250, 550, 1_000, 3_333, 5_000, 10_000 })
        {
            for (long paid = 0; paid <= 10_000; paid++)
            {
                var a = CommissionCalculator.Split(new Money(paid), new Rate(rateBp), TenPercent);
                (a.PlatformFee + a.Webmaster).Should().Be(a.Commission, "¥{0} at {1} bp", paid / 100m, rateBp);
                a.Webmaster.Should().BeGreaterThanOrEqualTo(a.PlatformFee, "the platform keeps 10 %, the webmaster 90 %");
            }
        }
    }

    private static void ShouldBeRoundedHalfUp(long result, long amount, int bp)
    {
        var diff = (Int128)result * 10_000 - (Int128)amount * bp;
        (diff > -5_000 && diff <= 5_000).Should().BeTrue($"{amount} × {bp} bp rounds to {result} (10000·result − amount·bp = {diff})");
    }

    // ---- subsidy bonus ----

    [Theory]
    // webmaster share fen, bonus bp → bonus fen
    [InlineData(495, 2_000, 99)]                   // 20 % of ¥4.95
    [InlineData(45, 5_000, 23)]                    // 22.5 → 23
    [InlineData(15, 1_000, 2)]                     // 1.5 → 2
    [InlineData(14, 1_000, 1)]                     // 1.4 → 1
    [InlineData(2, 2_500, 1)]                      // 0.5 → 1
    [InlineData(1, 4_999, 0)]                      // 0.4999 → 0
    [InlineData(3, 1_667, 1)]                      // 0.5001 → 1
    [InlineData(0, 5_000, 0)]
    [InlineData(1_000, 0, 0)]
    [InlineData(900_000_000, 1_500, 135_000_000)]  // 15 % of ¥9,000,000
    [InlineData(1_000, 10_000, 1_000)]             // a 100 % bonus doubles the share
    public void The_subsidy_bonus_is_a_share_of_the_webmaster_share_rounded_half_away_from_zero(long shareFen, int bonusBp, long bonusFen) =>
        CommissionCalculator.Bonus(new Money(shareFen), bonusBp).Should().Be(new Money(bonusFen));

    [Fact]
    public void What_remains_after_no_refund_is_the_full_split_with_the_granted_subsidy()
    {
        // ¥100 at 5.5 %: 550, fee 55, webmaster 495; 20 % bonus = 99, and 99 was granted.
        CommissionCalculator.Remaining(new Money(10_000), new Rate(550), TenPercent, subsidyBonusBp: 2_000, subsidyGranted: new Money(99))
            .Should().Be(new CommissionAmounts(new Money(550), new Money(55), new Money(495), new Money(99)));
    }

    [Fact]
    public void What_remains_after_a_half_refund_is_recomputed_on_what_is_still_paid()
    {
        // ¥50 at 5.5 %: 275, fee 27.5 → 28, webmaster 247; 20 % bonus 49.4 → 49 (under the 99 granted).
        CommissionCalculator.Remaining(new Money(5_000), new Rate(550), TenPercent, subsidyBonusBp: 2_000, subsidyGranted: new Money(99))
            .Should().Be(new CommissionAmounts(new Money(275), new Money(28), new Money(247), new Money(49)));
    }

    [Fact]
    public void The_remaining_subsidy_is_never_more_than_was_granted()
    {
        // The cap left only 60 fen when the order was paid: the bonus of 99 was cut to 60 and stays at most 60.
        CommissionCalculator.Remaining(new Money(10_000), new Rate(550), TenPercent, subsidyBonusBp: 2_000, subsidyGranted: new Money(60))
            .Subsidy.Should().Be(new Money(60));
    }

    [Fact]
    public void Nothing_remains_after_a_full_refund() =>
        CommissionCalculator.Remaining(Money.Zero, new Rate(550), TenPercent, subsidyBonusBp: 2_000, subsidyGranted: new Money(99))
            .Should().Be(default(CommissionAmounts));

    [Fact]
    public void A_line_without_subsidy_keeps_none_after_a_refund() =>
        CommissionCalculator.Remaining(new Money(5_000), new Rate(550), TenPercent, subsidyBonusBp: 0, subsidyGranted: Money.Zero)
            .Subsidy.Should().Be(Money.Zero);

    // One sale, one payment: an order won by a smart-zone ad click earns no sale commission.
    private static ClickFacts AdClick(long? campaignId) =>
        new(Guid.NewGuid(), DateTimeOffset.UnixEpoch, true, null, WebmasterId: 1, SiteId: 1, ItemId: 10, ShopId: 1, ItemRateBp: 500, ShopRateBp: 300, campaignId);

    [Fact]
    public void A_link_click_earns_commission_and_needs_no_paid_ad_note()
    {
        var click = AdClick(campaignId: null);

        CommissionCalculator.ForLine(click, 1, 10, new Money(10_000), new Rate(1_000))!.Amounts.Commission.Should().Be(new Money(500));
        CommissionCalculator.PaidAdClickNote(click).Should().BeNull();
    }

    [Fact]
    public void A_smart_zone_ad_click_earns_no_commission_on_any_line_and_says_why()
    {
        var click = AdClick(campaignId: 42);

        CommissionCalculator.ForLine(click, 1, 10, new Money(10_000), new Rate(1_000)).Should().BeNull("the clicked item");
        CommissionCalculator.ForLine(click, 1, 11, new Money(10_000), new Rate(1_000)).Should().BeNull("another item of the shop");
        CommissionCalculator.PaidAdClickNote(click).Should().Be(
            "The winning click was a paid ad click (campaign 42): the seller already paid for it, so no sale commission.");
    }
}
