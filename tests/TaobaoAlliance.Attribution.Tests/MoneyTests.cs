using TaobaoAlliance.Attribution;

namespace TaobaoAlliance.Attribution.Tests;

public sealed class MoneyTests
{
    [Theory]
    [InlineData(1234, "¥12.34")]
    [InlineData(5, "¥0.05")]
    [InlineData(123456789, "¥1,234,567.89")]
    [InlineData(-250, "-¥2.50")]
    public void Money_is_shown_in_yuan_with_two_decimals(long fen, string shown) =>
        new Money(fen).ToString().Should().Be(shown);

    [Theory]
    [InlineData(1000, 550, 55)]   // ¥10.00 at 5.5 % = ¥0.55
    [InlineData(15, 1000, 2)]     // 1.5 fen rounds half away from zero to 2
    [InlineData(25, 1000, 3)]     // 2.5 fen to 3, not to the even 2
    [InlineData(14, 1000, 1)]     // 1.4 fen to 1
    [InlineData(-15, 1000, -2)]   // and away from zero on the negative side too
    public void A_rate_applied_to_money_rounds_half_away_from_zero(long fen, int basisPoints, long expected) =>
        new Money(fen).Times(new Rate(basisPoints)).Fen.Should().Be(expected);

    [Fact]
    public void Percent_rates_keep_two_decimals_exactly() =>
        Rate.FromPercent(5.25m).BasisPoints.Should().Be(525);
}
