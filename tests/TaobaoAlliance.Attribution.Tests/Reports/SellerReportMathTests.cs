using TaobaoAlliance.Attribution.Reports;

namespace TaobaoAlliance.Attribution.Tests.Reports;

/// <summary>The report arithmetic on its own: ROI and the cohort accumulation, checked against sums done by hand.</summary>
public sealed class SellerReportMathTests
{
    [Theory]
    [InlineData(36_000, 4_200, "8.571428571428571428571428571")]
    [InlineData(0, 100, "0")]
    [InlineData(100, 0, null)]
    [InlineData(100, -5, null)]
    public void Roi_is_revenue_per_yuan_spent_and_none_without_spend(long revenueFen, long costFen, string? expected) =>
        SellerReportMath.Roi(new Money(revenueFen), new Money(costFen)).Should().Be(expected is null ? null : decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public void Cohorts_accumulate_revenue_month_by_month_up_to_the_current_month()
    {
        var sep = SellerReportMath.MonthKey(2026, 9);
        var nov = SellerReportMath.MonthKey(2026, 11);
        var rows = SellerReportMath.Cohorts(
        [
            new CohortMonth(sep + 1, 2, new Money(1_000), new Money(1_000), new Dictionary<int, Money> { [0] = new(5_000) }),
            new CohortMonth(sep, 3, new Money(2_000), new Money(1_000), new Dictionary<int, Money> { [0] = new(6_000), [2] = new(3_000) }),
            new CohortMonth(nov + 1, 1, Money.Zero, Money.Zero, new Dictionary<int, Money>()),
        ], nov);

        rows.Select(r => r.Label).Should().Equal("2026-09", "2026-10");
        var september = rows[0];
        september.Customers.Should().Be(3);
        september.AcquisitionCost.Should().Be(new Money(3_000));
        september.Revenue.Should().Equal(new Money(6_000), Money.Zero, new Money(3_000));
        september.CumulativeReturn.Should().Equal(2m, 2m, 3m);
        var october = rows[1];
        october.Revenue.Should().Equal(new Money(5_000), Money.Zero);
        october.CumulativeReturn.Should().Equal(2.5m, 2.5m);
    }

    [Fact]
    public void A_cohort_that_cost_nothing_has_no_return_figure()
    {
        var month = SellerReportMath.MonthKey(2026, 10);
        var row = SellerReportMath.Cohorts([new CohortMonth(month, 1, Money.Zero, Money.Zero, new Dictionary<int, Money> { [0] = new(100) })], month).Single();

        row.CumulativeReturn.Should().Equal([(decimal?)null]);
    }

    [Fact]
    public void Month_keys_round_trip_through_their_first_day()
    {
        var key = SellerReportMath.MonthKey(new DateOnly(2025, 12, 31));

        SellerReportMath.FirstDay(key).Should().Be(new DateOnly(2025, 12, 1));
        SellerReportMath.FirstDay(key + 1).Should().Be(new DateOnly(2026, 1, 1));
        SellerReportMath.MonthLabel(key + 1).Should().Be("2026-01");
    }
}
