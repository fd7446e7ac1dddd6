namespace TaobaoAlliance.Attribution.Ledger;

/// <summary>The kinds of account money can sit in. Owner-specific kinds carry a seller or webmaster id.</summary>
public enum AccountKind
{
    /// <summary>Money a seller paid in and has not spent yet.</summary>
    SellerWallet,
    /// <summary>Commission a seller owes on orders not yet settled (negative while owed); the wallet pays it at settlement.</summary>
    SellerCommissionDue,
    /// <summary>Webmaster commission inside its settlement hold.</summary>
    WebmasterPending,
    /// <summary>Settled webmaster money that can be paid out.</summary>
    WebmasterAvailable,
    /// <summary>A webmaster's share of paid CPC clicks inside the CPC hold (an admin may still void the clicks).</summary>
    WebmasterCpcPending,
    /// <summary>Webmaster money in an open payout request, waiting for an admin.</summary>
    WebmasterPayoutRequested,
    /// <summary>Webmaster money already paid out (final).</summary>
    WebmasterPaidOut,
    /// <summary>Platform fee on commission and CPC margin.</summary>
    PlatformRevenue,
    /// <summary>What the platform spent on subsidies (it only ever pays out, so it runs negative).</summary>
    PlatformSubsidy,
    /// <summary>The outside world: seller deposits come from it.</summary>
    External,
}

/// <summary>Names one ledger account: a kind and, for the owner-specific kinds, its owner.</summary>
public readonly record struct AccountRef(AccountKind Kind, long? SellerId = null, long? WebmasterId = null)
{
    public static AccountRef Wallet(long sellerId) => new(AccountKind.SellerWallet, SellerId: sellerId);
    public static AccountRef CommissionDue(long sellerId) => new(AccountKind.SellerCommissionDue, SellerId: sellerId);
    public static AccountRef Pending(long webmasterId) => new(AccountKind.WebmasterPending, WebmasterId: webmasterId);
    public static AccountRef Available(long webmasterId) => new(AccountKind.WebmasterAvailable, WebmasterId: webmasterId);
    public static AccountRef CpcPending(long webmasterId) => new(AccountKind.WebmasterCpcPending, WebmasterId: webmasterId);
    public static AccountRef PayoutRequested(long webmasterId) => new(AccountKind.WebmasterPayoutRequested, WebmasterId: webmasterId);
    public static AccountRef PaidOut(long webmasterId) => new(AccountKind.WebmasterPaidOut, WebmasterId: webmasterId);
    public static readonly AccountRef Revenue = new(AccountKind.PlatformRevenue);
    public static readonly AccountRef Subsidy = new(AccountKind.PlatformSubsidy);
    public static readonly AccountRef External = new(AccountKind.External);
}

/// <summary>One side of an entry: money into (positive) or out of (negative) an account.</summary>
public readonly record struct Posting(AccountRef Account, Money Amount);

/// <summary>
/// A balanced journal entry ready to be written. Zero lines are dropped and lines on the same account
/// merged; the constructor refuses anything that does not sum to zero.
/// </summary>
public sealed record EntryDraft
{
    public EntryDraft(string kind, string idempotencyKey, string description, IEnumerable<Posting> postings)
    {
        Kind = kind;
        IdempotencyKey = idempotencyKey;
        Description = description;
        Lines = postings
            .GroupBy(p => p.Account)
            .Select(g => new Posting(g.Key, new Money(g.Sum(p => p.Amount.Fen))))
            .Where(p => p.Amount.Fen != 0)
            .ToList();
        var sum = Lines.Sum(l => l.Amount.Fen);
        if (sum != 0) throw new InvalidOperationException($"Entry {idempotencyKey} does not balance: off by {sum} fen");
    }

    public string Kind { get; }
    public string IdempotencyKey { get; }
    public string Description { get; }
    public IReadOnlyList<Posting> Lines { get; }

    /// <summary>Accounts this entry takes money out of (they may need a balance check).</summary>
    public IEnumerable<AccountRef> Debited => Lines.Where(l => l.Amount.Fen < 0).Select(l => l.Account);
}

/// <summary>What one commission moves, as a unit: the seller's cost split into fee, webmaster share and subsidy.</summary>
public readonly record struct CommissionAmounts(Money Commission, Money PlatformFee, Money Webmaster, Money Subsidy)
{
    public Money WebmasterTotal => Webmaster + Subsidy;

    public static CommissionAmounts operator -(CommissionAmounts a, CommissionAmounts b) =>
        new(a.Commission - b.Commission, a.PlatformFee - b.PlatformFee, a.Webmaster - b.Webmaster, a.Subsidy - b.Subsidy);

    public static CommissionAmounts operator +(CommissionAmounts a, CommissionAmounts b) =>
        new(a.Commission + b.Commission, a.PlatformFee + b.PlatformFee, a.Webmaster + b.Webmaster, a.Subsidy + b.Subsidy);
}

/// <summary>
/// Every movement of money in product.md as a balanced entry. Signs: positive = the account holds more.
/// Seller: wallet and commission due; webmaster: pending → available → payout requested → paid out;
/// platform: revenue (fees, CPC margin) and subsidy (what it funds).
/// </summary>
public static class Postings
{
    public static EntryDraft Deposit(long sellerId, Money amount, string key) =>
        new("wallet.deposit", key, $"Deposit of {amount} into the wallet of seller {sellerId}",
        [
            new(AccountRef.External, -amount),
            new(AccountRef.Wallet(sellerId), amount),
        ]);

    /// <summary>An order was paid: the seller owes the commission; the webmaster's share (and any subsidy) is pending.</summary>
    public static EntryDraft CommissionAccrued(long orderId, long sellerId, long webmasterId, CommissionAmounts a) =>
        new("commission.accrued", $"order:{orderId}:accrued", $"Commission accrued on order {orderId}",
        [
            new(AccountRef.CommissionDue(sellerId), -a.Commission),
            new(AccountRef.Revenue, a.PlatformFee),
            new(AccountRef.Subsidy, -a.Subsidy),
            new(AccountRef.Pending(webmasterId), a.WebmasterTotal),
        ]);

    /// <summary>The hold is over: the seller's wallet pays what is due and the webmaster's money becomes available.</summary>
    public static EntryDraft CommissionSettled(long orderId, long sellerId, long webmasterId, CommissionAmounts a) =>
        new("commission.settled", $"order:{orderId}:settled", $"Commission settled on order {orderId}",
        [
            new(AccountRef.Wallet(sellerId), -a.Commission),
            new(AccountRef.CommissionDue(sellerId), a.Commission),
            new(AccountRef.Pending(webmasterId), -a.WebmasterTotal),
            new(AccountRef.Available(webmasterId), a.WebmasterTotal),
        ]);

    /// <summary>A refund before settlement undoes the accrual for the refunded part.</summary>
    public static EntryDraft CommissionReversed(long orderId, long sellerId, long webmasterId, CommissionAmounts a, string refundKey) =>
        new("commission.reversed", $"order:{orderId}:reversed:{refundKey}", $"Commission reversed by a refund on order {orderId}",
        [
            new(AccountRef.CommissionDue(sellerId), a.Commission),
            new(AccountRef.Revenue, -a.PlatformFee),
            new(AccountRef.Subsidy, a.Subsidy),
            new(AccountRef.Pending(webmasterId), -a.WebmasterTotal),
        ]);

    /// <summary>
    /// A refund after settlement: the seller gets the commission back in the wallet and the webmaster's
    /// available balance is adjusted down — the one way a webmaster balance may go negative.
    /// </summary>
    public static EntryDraft CommissionClawedBack(long orderId, long sellerId, long webmasterId, CommissionAmounts a, string refundKey) =>
        new("commission.clawback", $"order:{orderId}:clawback:{refundKey}", $"Commission clawed back by a refund on order {orderId}",
        [
            new(AccountRef.Wallet(sellerId), a.Commission),
            new(AccountRef.Revenue, -a.PlatformFee),
            new(AccountRef.Subsidy, a.Subsidy),
            new(AccountRef.Available(webmasterId), -a.WebmasterTotal),
        ]);

    /// <summary>
    /// Paid clicks on one campaign's smart-zone ads, charged together by its grain: the seller's wallet pays their
    /// prices, each webmaster's share waits in CPC pending for the CPC hold (an admin may void a click until then) and
    /// the platform keeps the rest. One entry per charged batch, one line per account: <c>cpc_charges</c> keeps each
    /// click's price and split, which the hold release and a void read. <paramref name="batchKey"/> is the batch's first
    /// charged impression: an impression is charged at most once, so it names the batch exactly.
    /// </summary>
    public static EntryDraft CpcClicks(Guid batchKey, long campaignId, long sellerId, IReadOnlyCollection<PaidCpcClick> clicks) =>
        new("cpc.clicks", $"cpc:{batchKey:N}",
            $"{(clicks ?? throw new ArgumentNullException(nameof(clicks))).Count} CPC clicks on campaign {campaignId}",
            clicks.SelectMany(c => new Posting[]
            {
                new(AccountRef.Wallet(sellerId), -c.Price),
                new(AccountRef.CpcPending(c.WebmasterId), c.Share),
                new(AccountRef.Revenue, c.Price - c.Share),
            }));

    /// <summary>
    /// The CPC hold is over for a batch of charges: each webmaster's held share moves from CPC pending to available.
    /// One entry per release batch, one pair of lines per webmaster; <paramref name="key"/> names the batch.
    /// </summary>
    public static EntryDraft CpcReleased(string key, IEnumerable<(long WebmasterId, Money Share)> shares) =>
        new("cpc.released", $"cpc-release:{key}", "CPC earnings released after the hold",
            (shares ?? throw new ArgumentNullException(nameof(shares))).SelectMany(s => new Posting[]
            {
                new(AccountRef.CpcPending(s.WebmasterId), -s.Share),
                new(AccountRef.Available(s.WebmasterId), s.Share),
            }));

    /// <summary>
    /// An admin voided paid clicks: each click's price goes back to its seller's wallet, the platform gives back its
    /// margin, and the webmaster's share is reversed from CPC pending (still held) or clawed back from available
    /// (already released — available may then go negative, as after a commission clawback). One entry per void run.
    /// </summary>
    public static EntryDraft CpcVoided(string key, IEnumerable<VoidedCpcCharge> charges) =>
        new("cpc.voided", $"cpc-void:{key}", "Paid CPC clicks voided by an admin",
            (charges ?? throw new ArgumentNullException(nameof(charges))).SelectMany(c => new Posting[]
            {
                new(AccountRef.Wallet(c.SellerId), c.Price),
                new(c.Released ? AccountRef.Available(c.WebmasterId) : AccountRef.CpcPending(c.WebmasterId), -c.Share),
                new(AccountRef.Revenue, -(c.Price - c.Share)),
            }));

    public static EntryDraft PayoutRequested(long payoutId, long webmasterId, Money amount) =>
        new("payout.requested", $"payout:{payoutId}:requested", $"Payout {payoutId} requested",
        [
            new(AccountRef.Available(webmasterId), -amount),
            new(AccountRef.PayoutRequested(webmasterId), amount),
        ]);

    public static EntryDraft PayoutApproved(long payoutId, long webmasterId, Money amount) =>
        new("payout.approved", $"payout:{payoutId}:approved", $"Payout {payoutId} approved and paid",
        [
            new(AccountRef.PayoutRequested(webmasterId), -amount),
            new(AccountRef.PaidOut(webmasterId), amount),
        ]);

    public static EntryDraft PayoutRejected(long payoutId, long webmasterId, Money amount) =>
        new("payout.rejected", $"payout:{payoutId}:rejected", $"Payout {payoutId} rejected; money returned to available",
        [
            new(AccountRef.PayoutRequested(webmasterId), -amount),
            new(AccountRef.Available(webmasterId), amount),
        ]);
}

/// <summary>One charged click of a <see cref="Postings.CpcClicks"/> batch: its price and the webmaster's share of it.</summary>
public readonly record struct PaidCpcClick(long WebmasterId, Money Price, Money Share);

/// <summary>One charged CPC click being voided: who paid, who earned, and whether its share has left the CPC hold.</summary>
public readonly record struct VoidedCpcCharge(long SellerId, long WebmasterId, Money Price, Money Share, bool Released);
