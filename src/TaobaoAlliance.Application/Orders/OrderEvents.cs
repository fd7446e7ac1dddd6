using System.Security.Cryptography;
using System.Text;
using TaobaoAlliance.Data.Orders;

namespace TaobaoAlliance.Application.Orders;

/// <summary>A line of an order event: for <c>paid</c> what was bought; for <c>refunded</c> what was refunded.</summary>
public sealed record OrderEventLine(long ItemId, int Quantity, long PaidFen);

/// <summary>
/// One event in an order's life, from the Orders API or the built-in storefront. Attribution inputs
/// (visitor, click, buyer) matter only for <c>paid</c>.
/// </summary>
public sealed record OrderEventCommand(
    long ShopId,
    string ExternalOrderId,
    string Event,
    DateTimeOffset OccurredAt,
    string BuyerRef,
    IReadOnlyList<OrderEventLine> Lines,
    OrderSource Source,
    Guid? VisitorId = null,
    Guid? ClickId = null,
    long? BuyerUserId = null,
    Guid? CheckoutId = null)
{
    public const string Paid = "paid";
    public const string Confirmed = "confirmed";
    public const string Refunded = "refunded";

    /// <summary>Identifies the event (not the request): type, order, time and lines. Replays share it.</summary>
    public string EventKey
    {
        get
        {
            var canonical = new StringBuilder()
                .Append(Event).Append('|').Append(ExternalOrderId).Append('|').Append(OccurredAt.UtcTicks);
            foreach (var line in Lines.OrderBy(l => l.ItemId))
            {
                canonical.Append('|').Append(line.ItemId).Append(':').Append(line.Quantity).Append(':').Append(line.PaidFen);
            }
            return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())));
        }
    }
}

/// <summary>The answer to an order event: the order as it now stands, with what each line earned.</summary>
public sealed record OrderEventResult(
    long OrderId, long ShopId, string ExternalOrderId, string State, Guid? AttributedClickId, string AttributionNote,
    string? FraudFlag, IReadOnlyList<OrderLineResult> Lines);

/// <summary>One line of an order as it stands: what was paid and refunded, and what its commission is worth now.</summary>
public sealed record OrderLineResult(
    long ItemId, int Quantity, long PaidFen, int RefundedQuantity, long RefundedFen,
    string? CommissionState, long CommissionFen, long WebmasterFen, long PlatformFeeFen, long SubsidyFen, string? Explanation);

/// <summary>
/// What the platform takes a store's word for. The caps are far above any real purchase, yet keep every
/// sum a report makes of them inside a bigint (an order of 2^63 − 1 fen made reports fail), and the
/// date bounds keep time arithmetic (attribution window, auto-confirm) inside what PostgreSQL and .NET hold.
/// </summary>
public static class OrderLimits
{
    /// <summary>¥10,000,000 per line: more than any single line of a retail order.</summary>
    public const long MaxLineFen = 1_000_000_000;

    /// <summary>¥10,000,000 per order, all lines together.</summary>
    public const long MaxOrderFen = 1_000_000_000;

    /// <summary>Units per line: a wholesale pallet, not an overflow.</summary>
    public const int MaxQuantity = 100_000;

    /// <summary>No event happened before the platform existed; older dates are typing mistakes or probes.</summary>
    public static readonly DateTimeOffset PlatformEpoch = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Store clocks drift: an event up to this far ahead of ours is believed, beyond it refused (product.md).</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);
}

/// <summary>Why an order event was refused; nothing was written.</summary>
public enum OrderEventRefusal
{
    /// <summary>The event itself is malformed or out of bounds (<see cref="OrderEventOutcome.Detail"/> says which field).</summary>
    Invalid,
    /// <summary>A paid line names an item that is not the shop's.</summary>
    UnknownItem,
    /// <summary>Confirmed or refunded before the order was paid.</summary>
    UnknownOrder,
    /// <summary>Paid again with other lines or amounts than the order was first paid with.</summary>
    PaidDifferently,
    /// <summary>A refund names an item the order has no line for.</summary>
    UnknownLine,
    /// <summary>A refund takes more units or more money than is left on its line.</summary>
    RefundTooLarge,
}

/// <summary>
/// The order as it now stands, or why the event was refused. <see cref="Detail"/> tells the store what was wrong,
/// in English (the Orders API returns it as the problem's detail).
/// </summary>
public sealed record OrderEventOutcome(OrderEventResult? Result, OrderEventRefusal? Refusal = null, string Detail = "")
{
    public bool Succeeded => Refusal is null;

    public static implicit operator OrderEventOutcome(OrderEventResult result) => new(result);

    public static OrderEventOutcome Refused(OrderEventRefusal refusal, string detail) => new(null, refusal, detail);
}
