using TaobaoAlliance.Attribution.Commissions;
using TaobaoAlliance.Attribution.Ledger;

namespace TaobaoAlliance.Attribution.Orders;

/// <summary>An order line's units and money: what was paid, and how much of it is refunded so far.</summary>
public readonly record struct LineAmounts(int Quantity, long PaidFen, int RefundedQuantity, long RefundedFen)
{
    public int QuantityLeft => Quantity - RefundedQuantity;
    public long FenLeft => PaidFen - RefundedFen;
}

/// <summary>Why a refund cannot be taken from a line.</summary>
public enum LineRefundRefusal { MoreUnitsThanLeft, MoreMoneyThanLeft }

/// <summary>What a refund takes from a line in fen, or why it cannot (then <see cref="Fen"/> is what was asked, if known).</summary>
public sealed record LineRefund(long Fen, LineRefundRefusal? Refusal = null);

/// <summary>A commission after a refund: the part of its base refunded now, what it gives back, and whether nothing is left.</summary>
public sealed record CommissionRefund(long RefundedBaseFen, CommissionAmounts GivenBack, bool FullyRefunded);

/// <summary>
/// How a refund is shared out (product.md, refunds): what a line gives back, what a commission gives back,
/// and when an order ends as refunded.
/// </summary>
public static class RefundRules
{
    /// <summary>
    /// The amount refunded from <paramref name="line"/>: what the store says (<paramref name="statedFen"/> above 0),
    /// or else the line's price for that many units — all that is left for the last units, so rounding never
    /// leaves a fen behind. Never more units or money than are left.
    /// </summary>
    public static LineRefund ForLine(LineAmounts line, int quantity, long statedFen)
    {
        if (quantity > line.QuantityLeft) return new(0, LineRefundRefusal.MoreUnitsThanLeft);
        var fen = statedFen > 0 ? statedFen
            : quantity == line.QuantityLeft ? line.FenLeft
            : (long)Math.Round((decimal)line.PaidFen * quantity / line.Quantity, MidpointRounding.AwayFromZero);
        return fen > line.FenLeft ? new(fen, LineRefundRefusal.MoreMoneyThanLeft) : new(fen);
    }

    /// <summary>
    /// A refund of <paramref name="refundFen"/> on a commission whose base had <paramref name="refundedBaseFen"/>
    /// refunded before: the base refunded now (never past the whole base) and the difference it gives back.
    /// </summary>
    public static CommissionRefund OnCommission(CommissionTerms terms, long refundedBaseFen, long refundFen)
    {
        ArgumentNullException.ThrowIfNull(terms);
        var refundedNow = Math.Min(terms.Base.Fen, refundedBaseFen + refundFen);
        var before = terms.RemainingOn(new Money(terms.Base.Fen - refundedBaseFen));
        var after = terms.RemainingOn(new Money(terms.Base.Fen - refundedNow));
        return new(refundedNow, before - after, refundedNow == terms.Base.Fen);
    }

    /// <summary>
    /// Only a refund of all the money ends an order (product.md, "An order stays open while money is left on
    /// it"): a refund naming every unit but part of the money leaves the rest to be confirmed and settled.
    /// An order that cost nothing ends when every unit is refunded.
    /// </summary>
    public static bool EndsOrder(IReadOnlyCollection<LineAmounts> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        return lines.Sum(l => l.PaidFen) > 0
            ? lines.All(l => l.RefundedFen == l.PaidFen)
            : lines.All(l => l.RefundedQuantity == l.Quantity);
    }
}
