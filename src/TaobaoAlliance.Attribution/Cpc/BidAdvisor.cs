using System.Globalization;

namespace TaobaoAlliance.Attribution.Cpc;

/// <summary>
/// The bid advisor's answer: the most a click is worth to the seller, and how many clicks one order takes.
/// </summary>
/// <param name="ConversionRatePercent">Orders per 100 clicks, e.g. 1.5 for 1.5 %.</param>
/// <param name="ProfitPerOrder">What the seller keeps from one order after costs.</param>
/// <param name="RepeatProfitPerCustomer">What a new customer is expected to bring later (0 when unknown).</param>
/// <param name="BreakEvenBid">Conversion rate × (profit per order + repeat profit), rounded down to whole fen.</param>
/// <param name="ClicksPerOrder">100 ÷ conversion rate in percent: clicks paid for, on average, per order.</param>
public sealed record BidAdvice(decimal ConversionRatePercent, Money ProfitPerOrder, Money RepeatProfitPerCustomer, Money BreakEvenBid, decimal ClicksPerOrder)
{
    /// <summary>Everything an order is worth to the seller: this order's profit and the customer's later ones.</summary>
    public Money ProfitPerCustomer => ProfitPerOrder + RepeatProfitPerCustomer;

    /// <summary>What winning one order costs at this bid (see <see cref="BidAdvisor.CostPerOrder"/>).</summary>
    public Money CostPerOrder(Money bid) => BidAdvisor.CostPerOrder(bid, ConversionRatePercent);

    /// <summary>
    /// The bid the advice suggests (what "Use this bid" puts in the bid field): the break-even bid, never above
    /// <paramref name="maxBid"/>. The advice's sentence prices clicks at this bid, not at whatever the bid field held
    /// before: a seller reading "it takes 50 clicks (¥10.00 at a ¥0.20 bid)" is reading about the bid on offer.
    /// </summary>
    public Money SuggestedBid(Money maxBid) => Money.Min(BreakEvenBid, maxBid);

    /// <summary>What one order costs in clicks at the suggested bid (<see cref="SuggestedBid"/>).</summary>
    public Money CostPerOrderAtSuggestedBid(Money maxBid) => CostPerOrder(SuggestedBid(maxBid));

    /// <summary>The conversion rate as people write it: "1 %", "2.5 %".</summary>
    public string RateText => BidAdvisor.FormatPercent(ConversionRatePercent);

    /// <summary>Clicks per order as people say it: "50", "33.3".</summary>
    public string ClicksText => ClicksPerOrder.ToString("#,0.#", CultureInfo.InvariantCulture);
}

/// <summary>
/// Bid arithmetic for CPC campaigns (product.md, "bid advisor"): pure, no data access. A click is worth
/// the chance that it becomes an order times what an order is worth, so a seller who bids more than
/// that loses money on every order the campaign wins. No CPS commission is taken off what an order is
/// worth: an order won by an ad click pays none ("One sale, one payment").
/// </summary>
public static class BidAdvisor
{
    /// <summary>Conversion rates are percentages of clicks: above 0, at most 100.</summary>
    public const decimal MaxConversionRatePercent = 100m;

    /// <summary>
    /// The break-even bid and clicks per order. Rounding: the break-even bid is rounded <em>down</em> to whole
    /// fen, because a bid one fen above the exact value already loses money on every order, while one fen
    /// below still pays for itself.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The rate is not in (0, 100], the profit per order is not
    /// positive, or the repeat profit is negative.</exception>
    public static BidAdvice Advise(decimal conversionRatePercent, Money profitPerOrder, Money repeatProfitPerCustomer)
    {
        CheckRate(conversionRatePercent);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(profitPerOrder.Fen, 0, nameof(profitPerOrder));
        ArgumentOutOfRangeException.ThrowIfNegative(repeatProfitPerCustomer.Fen, nameof(repeatProfitPerCustomer));

        var worth = (profitPerOrder + repeatProfitPerCustomer).Fen;
        var breakEven = new Money(checked((long)decimal.Floor(worth * conversionRatePercent / 100m)));
        return new BidAdvice(conversionRatePercent, profitPerOrder, repeatProfitPerCustomer, breakEven, 100m / conversionRatePercent);
    }

    /// <summary>
    /// What one order costs in clicks at this bid: bid ÷ conversion rate (¥0.10 at 2 % = ¥5.00). It is an
    /// average, not a charge, so it is rounded half away from zero like every other amount shown.
    /// </summary>
    public static Money CostPerOrder(Money bid, decimal conversionRatePercent)
    {
        CheckRate(conversionRatePercent);
        ArgumentOutOfRangeException.ThrowIfNegative(bid.Fen, nameof(bid));
        return new Money(checked((long)Math.Round(bid.Fen * 100m / conversionRatePercent, MidpointRounding.AwayFromZero)));
    }

    /// <summary>A percentage without trailing zeros: 1 → "1 %", 2.50 → "2.5 %".</summary>
    public static string FormatPercent(decimal percent) => percent.ToString("0.####", CultureInfo.InvariantCulture) + " %";

    private static void CheckRate(decimal conversionRatePercent)
    {
        if (conversionRatePercent <= 0m || conversionRatePercent > MaxConversionRatePercent)
        {
            throw new ArgumentOutOfRangeException(nameof(conversionRatePercent), conversionRatePercent,
                "A conversion rate is a percentage of clicks above 0 and at most 100.");
        }
    }
}
