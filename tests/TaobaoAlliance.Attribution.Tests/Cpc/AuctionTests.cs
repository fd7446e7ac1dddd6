using TaobaoAlliance.Attribution.Cpc;

namespace TaobaoAlliance.Attribution.Tests.Cpc;

/// <summary>
/// The smart-zone auction, with every expected winner and price worked out by hand. The prior is
/// 1 click in 100 impressions, so quality = (clicks + 1) / (impressions + 100); the reserve is 5 fen.
/// </summary>
public sealed class AuctionTests
{
    private static readonly Money Reserve = new(5);
    private static readonly QualityPrior Prior = new(Clicks: 1, Impressions: 100);

    private static Bidder B(long id, long bidFen, long impressions = 0, long clicks = 0) => new(id, new Money(bidFen), impressions, clicks);

    public static TheoryData<string, Bidder[], long, long> Cases => new()
    {
        // Equal (prior) quality 1/100: the highest bid wins and pays the second bid.
        { "second price", [B(1, 50), B(2, 30), B(3, 10)], 1, 30 },
        // 1: 50 × 1/100 = 0.5; 2: 40 × 4/200 = 0.8 → 2 wins; p × 0.02 ≥ 0.5 → p = 25 exactly (no float drift up to 26).
        { "bid times quality ranks", [B(1, 50), B(2, 40, impressions: 100, clicks: 3)], 2, 25 },
        // 1: q = 6/400 = 0.015, score 0.75; 2: 20 × 0.01 = 0.2; p × 0.015 ≥ 0.2 → p ≥ 13.33 → 14 (rounded up to keep the rank).
        { "rounded up to the fen", [B(1, 50, impressions: 300, clicks: 5), B(2, 20)], 1, 14 },
        // Alone: pays the reserve, not its bid.
        { "alone pays the reserve", [B(1, 50)], 1, 5 },
        // 2 bids below the reserve and cannot take part: 1 is alone.
        { "bids below the reserve are out", [B(1, 50), B(2, 4)], 1, 5 },
        // 2: q = 1/1000, score 0.006; 1 needs p × 0.01 ≥ 0.006 → 1 fen, raised to the reserve 5.
        { "never below the reserve", [B(1, 50), B(2, 6, impressions: 900)], 1, 5 },
        // 1 has 1,000 impressions and no click: q = 1/1100, score 50/1100 ≈ 0.045; new 2: 10 × 0.01 = 0.1 → 2 wins;
        // p × 0.01 ≥ 0.04545 → p ≥ 4.55 → 5.
        { "a poor history loses to a new campaign", [B(1, 50, impressions: 1000), B(2, 10)], 2, 5 },
        // 1 had one lucky click in one impression: q = 2/101 ≈ 0.0198 (not 100 %), score 0.198; new 2: 30 × 0.01 = 0.3 → 2 wins;
        // p × 0.01 ≥ 0.198 → p ≥ 19.80 → 20.
        { "the prior tames one lucky click", [B(1, 10, impressions: 1, clicks: 1), B(2, 30)], 2, 20 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Winner_and_price_are_as_worked_out_by_hand(string name, Bidder[] bidders, long winner, long priceFen)
    {
        var result = Auction.Run(bidders, Reserve, Prior, new Random(1));

        result.Should().NotBeNull(name);
        result!.CampaignId.Should().Be(winner, name);
        result.Price.Should().Be(new Money(priceFen), name);
    }

    [Fact]
    public void The_price_is_never_above_the_winners_bid_and_a_tie_pays_the_bid()
    {
        // 1: 10 × 4/200 = 0.2; 2: 20 × 1/100 = 0.2 — equal scores: the runner-up's score is the winner's own,
        // so the least bid that keeps the rank is the winner's bid.
        var result = Auction.Run([B(1, 10, impressions: 100, clicks: 3), B(2, 20)], Reserve, Prior, new Random(7))!;

        result.Price.Should().Be(result.CampaignId == 1 ? new Money(10) : new Money(20));
    }

    [Fact]
    public void Ties_are_broken_at_random_so_each_tied_campaign_wins_about_as_often()
    {
        var random = new Random(2026);
        var wins = new Dictionary<long, int> { [1] = 0, [2] = 0, [3] = 0 };
        for (var i = 0; i < 9_000; i++)
        {
            // Listed in the same order every time: a "first one wins" rule would give campaign 1 every impression.
            wins[Auction.Run([B(1, 30), B(2, 30), B(3, 30), B(4, 10)], Reserve, Prior, random)!.CampaignId]++;
        }

        wins.Values.Should().AllSatisfy(n => n.Should().BeInRange(2_700, 3_300));
    }

    [Fact]
    public void No_eligible_bid_means_no_ad() =>
        Auction.Run([B(1, 4), B(2, 1)], Reserve, Prior, new Random(1)).Should().BeNull();

    [Fact]
    public void A_prior_without_clicks_is_refused() =>
        FluentActions.Invoking(() => Auction.Run([B(1, 10)], Reserve, new QualityPrior(0, 100), new Random(1)))
            .Should().Throw<ArgumentOutOfRangeException>();
}
