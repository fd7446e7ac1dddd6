using TaobaoAlliance.Attribution;

namespace TaobaoAlliance.Application.Orders;

/// <summary>The checks an order event passes before anything is read or written: fields, bounds and lines.</summary>
internal static class OrderEventValidation
{
    /// <summary>Why <paramref name="c"/> is invalid at <paramref name="now"/>, or null when it may be applied.</summary>
    public static OrderEventOutcome? Check(OrderEventCommand c, DateTimeOffset now)
    {
        static OrderEventOutcome Bad(string detail) => OrderEventOutcome.Refused(OrderEventRefusal.Invalid, detail);
        // PostgreSQL text cannot hold NUL; refused here rather than failing the insert.
        static bool HasNul(string? text) => text is not null && text.Contains('\0', StringComparison.Ordinal);
        if (HasNul(c.Event) || HasNul(c.ExternalOrderId) || HasNul(c.BuyerRef))
            return Bad("event, externalOrderId and buyerRef cannot contain NUL characters (\\u0000).");
        if (c.Event is not (OrderEventCommand.Paid or OrderEventCommand.Confirmed or OrderEventCommand.Refunded))
            return Bad("event must be one of: paid, confirmed, refunded.");
        if (string.IsNullOrWhiteSpace(c.ExternalOrderId) || c.ExternalOrderId.Length > 64)
            return Bad("externalOrderId is required (at most 64 characters).");
        if (c.OccurredAt == default) return Bad("occurredAt is required.");
        if (c.OccurredAt < OrderLimits.PlatformEpoch)
            return Bad($"occurredAt cannot be before {OrderLimits.PlatformEpoch:yyyy-MM-dd}.");
        if (c.OccurredAt > now + OrderLimits.MaxClockSkew)
            return Bad($"occurredAt cannot be more than {OrderLimits.MaxClockSkew.TotalMinutes:0} minutes in the future.");
        if (c.BuyerRef.Length > 128) return Bad("buyerRef is at most 128 characters.");
        if (c.Lines.Any(l => l is null)) return Bad("A line cannot be null.");
        if (c.Event != OrderEventCommand.Confirmed && c.Lines.Count == 0) return Bad($"A {c.Event} event needs at least one line.");
        if (c.Lines.Count > 500) return Bad("At most 500 lines per event.");
        // A refund may give money back without units (the rest of a line whose units were all refunded, a price adjustment).
        if (c.Lines.Any(l => l.Quantity < 0 || (l.Quantity == 0 && (c.Event != OrderEventCommand.Refunded || l.PaidFen == 0))))
            return Bad("Every line needs a quantity of at least 1 (a refund of money only may name 0 units with its paidFen).");
        if (c.Lines.Any(l => l.Quantity > OrderLimits.MaxQuantity)) return Bad($"A line can have at most {OrderLimits.MaxQuantity:#,0} units.");
        if (c.Lines.Any(l => l.PaidFen < 0)) return Bad("paidFen cannot be negative.");
        if (c.Lines.Any(l => l.PaidFen > OrderLimits.MaxLineFen))
            return Bad($"paidFen is at most {OrderLimits.MaxLineFen} ({new Money(OrderLimits.MaxLineFen)}) per line.");
        // At most 500 lines of at most MaxLineFen each: this sum cannot overflow.
        if (c.Lines.Sum(l => l.PaidFen) > OrderLimits.MaxOrderFen)
            return Bad($"The lines' paidFen add up to at most {OrderLimits.MaxOrderFen} ({new Money(OrderLimits.MaxOrderFen)}) per order.");
        if (c.Lines.GroupBy(l => l.ItemId).Any(g => g.Count() > 1)) return Bad("Each item may appear on one line only.");
        return null;
    }
}
