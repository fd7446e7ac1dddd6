namespace TaobaoAlliance.Attribution.Cpc;

/// <summary>One campaign competing for an impression: its bid and its click history so far.</summary>
public readonly record struct Bidder(long CampaignId, Money Bid, long Impressions, long Clicks);

/// <summary>
/// The prior that smooths a campaign's click-through rate: it counts as if every campaign had already
/// had <see cref="Clicks"/> clicks in <see cref="Impressions"/> impressions. A new campaign starts at
/// the prior rate instead of at 0 % (never shown) or 100 % (one lucky click), and its own history takes
/// over as impressions accumulate.
/// </summary>
public readonly record struct QualityPrior(long Clicks, long Impressions)
{
    /// <summary>The smoothed click-through rate of a history, as an exact fraction.</summary>
    public Quality Of(long impressions, long clicks) => new(clicks + Clicks, impressions + Impressions);
}

/// <summary>A smoothed click-through rate held as an exact fraction, so rankings never depend on rounding.</summary>
public readonly record struct Quality(long Numerator, long Denominator)
{
    public double Rate => (double)Numerator / Denominator;
}

/// <summary>Who won an impression and what a click on it will cost.</summary>
public sealed record AuctionResult(long CampaignId, Money Price, Quality Quality, long? RunnerUpCampaignId);

/// <summary>
/// The single-slot generalized second-price auction of a smart zone (product.md, CPC auction).
/// Campaigns rank by bid × quality; the winner pays the least bid that would still keep it first —
/// the runner-up's score divided by the winner's quality, rounded up to the fen — never below the
/// reserve and never above its own bid. Equal scores are broken uniformly at random, so no campaign
/// wins ties by the accident of its id or insertion order.
/// </summary>
public static class Auction
{
    public static AuctionResult? Run(IReadOnlyList<Bidder> bidders, Money reserve, QualityPrior prior, Random random)
    {
        ArgumentNullException.ThrowIfNull(bidders);
        ArgumentNullException.ThrowIfNull(random);
        if (reserve.Fen <= 0) throw new ArgumentOutOfRangeException(nameof(reserve), "The reserve must be positive.");
        // At least one prior click keeps every quality above zero, so every score is comparable.
        if (prior.Clicks < 1 || prior.Impressions < prior.Clicks)
        {
            throw new ArgumentOutOfRangeException(nameof(prior), "The prior needs at least one click and at least as many impressions.");
        }

        // A bid below the reserve could not pay the reserve without paying more than the bid.
        var eligible = bidders
            .Where(b => b.Bid >= reserve && b.Impressions >= 0 && b.Clicks >= 0)
            .Select(b => new Scored(b, prior.Of(b.Impressions, b.Clicks)))
            .ToList();
        if (eligible.Count == 0) return null;

        var best = eligible[0];
        foreach (var s in eligible.Skip(1))
        {
            if (Compare(s, best) > 0) best = s;
        }
        var tied = eligible.Where(s => Compare(s, best) == 0).ToList();
        var winner = tied[random.Next(tied.Count)];

        // Second place: the best score among the others (a tied rival scores the same as the winner).
        Scored? runnerUp = null;
        foreach (var s in eligible.Where(s => s.Bidder.CampaignId != winner.Bidder.CampaignId))
        {
            if (runnerUp is null || Compare(s, runnerUp) > 0) runnerUp = s;
        }

        var price = runnerUp is null ? reserve : Money.Max(reserve, LeastBidToBeat(runnerUp, winner.Quality));
        return new AuctionResult(winner.Bidder.CampaignId, Money.Min(price, winner.Bidder.Bid), winner.Quality, runnerUp?.Bidder.CampaignId);
    }

    /// <summary>
    /// The smallest whole-fen bid p with p × q ≥ the rival's score: p = ⌈bid₂ · n₂ · d / (n · d₂)⌉,
    /// computed on 128-bit integers, so a price is never a fen off through floating point.
    /// </summary>
    private static Money LeastBidToBeat(Scored rival, Quality quality)
    {
        var numerator = (Int128)rival.Bidder.Bid.Fen * rival.Quality.Numerator * quality.Denominator;
        var denominator = (Int128)quality.Numerator * rival.Quality.Denominator;
        var (quotient, remainder) = Int128.DivRem(numerator, denominator);
        return new Money((long)(remainder == 0 ? quotient : quotient + 1));
    }

    /// <summary>Compares bid × quality exactly: bid₁ · n₁ · d₂ against bid₂ · n₂ · d₁.</summary>
    private static int Compare(Scored a, Scored b) =>
        ((Int128)a.Bidder.Bid.Fen * a.Quality.Numerator * b.Quality.Denominator)
        .CompareTo((Int128)b.Bidder.Bid.Fen * b.Quality.Numerator * a.Quality.Denominator);

    private sealed record Scored(Bidder Bidder, Quality Quality);
}
