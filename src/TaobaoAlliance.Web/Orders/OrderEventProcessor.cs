using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using TaobaoAlliance.Application.Commissions;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Attribution.Commissions;
using TaobaoAlliance.Attribution.Ledger;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Commissions;
using TaobaoAlliance.Data.Orders;
using TaobaoAlliance.Data.Tracking;
using TaobaoAlliance.Application.Clicks;
using TaobaoAlliance.Application.Ledger;

namespace TaobaoAlliance.Web.Orders;

/// <summary>
/// Applies order events — paid, confirmed, refunded — exactly once each, whether they come from the
/// Orders API or the storefront: attribution and commission on <c>paid</c>, reversal or clawback on
/// <c>refunded</c>, with their ledger entries, all in one transaction.
/// </summary>
public sealed class OrderEventProcessor(
    AllianceDbContext db,
    LedgerWriter ledger,
    IOptionsSnapshot<AllianceOptions> options,
    TimeProvider clock,
    ILogger<OrderEventProcessor> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<OrderEventOutcome> ProcessAsync(OrderEventCommand command, CancellationToken ct = default)
    {
        if (Validate(command) is { } invalid) return invalid;
        // PostgreSQL's timestamptz takes UTC only; a store's "+08:00" is the same instant.
        command = command with { OccurredAt = command.OccurredAt.ToUniversalTime() };
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await ApplyAsync(command, ct);
            }
            catch (DbUpdateException e) when (attempt < 3 && e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
            {
                // Two paid events for one new order with different keys (a store retrying with a new timestamp)
                // both found no order and both inserted one; the loser's transaction is rolled back. Once more,
                // it finds the winner's order and answers with it (or 409 when its lines differ).
                db.ChangeTracker.Clear();
                logger.LogInformation("Order event {Event} for {ShopId}/{ExternalOrderId} lost a race for the order; applying it again",
                    command.Event, command.ShopId, command.ExternalOrderId);
            }
        }
    }

    private async Task<OrderEventOutcome> ApplyAsync(OrderEventCommand command, CancellationToken ct)
    {
        var key = command.EventKey;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // Claim the event. A concurrent copy of it waits here until the first commits, then finds it taken.
        var claimed = await db.Database.SqlQuery<long>($"""
            INSERT INTO order_events (shop_id, external_order_id, event, event_key, received_at, result)
            VALUES ({command.ShopId}, {command.ExternalOrderId}, {command.Event}, {key}, now(), {"{}"}::jsonb)
            ON CONFLICT (shop_id, event_key) DO NOTHING RETURNING id AS "Value"
            """).ToListAsync(ct);
        if (claimed.Count == 0)
        {
            await transaction.RollbackAsync(ct);
            var stored = await db.OrderEvents.AsNoTracking()
                .Where(e => e.ShopId == command.ShopId && e.EventKey == key).Select(e => e.Result).SingleAsync(ct);
            return JsonSerializer.Deserialize<OrderEventResult>(stored, Json)!;
        }

        var outcome = command.Event switch
        {
            OrderEventCommand.Paid => await PaidAsync(command, ct),
            OrderEventCommand.Confirmed => await ConfirmedAsync(command, ct),
            _ => await RefundedAsync(command, key, ct),
        };
        if (outcome.Problem is not null)
        {
            await transaction.RollbackAsync(ct);
            db.ChangeTracker.Clear();
            return outcome;
        }
        var json = JsonSerializer.Serialize(outcome.Result, Json);
        await db.Database.ExecuteSqlAsync($"UPDATE order_events SET result = {json}::jsonb WHERE id = {claimed[0]}", ct);
        await transaction.CommitAsync(ct);
        logger.LogInformation("Order event {Event} for {ShopId}/{ExternalOrderId} applied: order {OrderId} is {State}",
            command.Event, command.ShopId, command.ExternalOrderId, outcome.Result!.OrderId, outcome.Result.State);
        return outcome;
    }

    private OrderEventProblem? Validate(OrderEventCommand c)
    {
        static OrderEventProblem Bad(string detail) => new(400, "Invalid order event", detail);
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
        if (c.OccurredAt > clock.GetUtcNow() + OrderLimits.MaxClockSkew)
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

    private async Task<OrderEventOutcome> PaidAsync(OrderEventCommand command, CancellationToken ct)
    {
        var existing = await db.Orders.Include(o => o.Lines)
            .SingleOrDefaultAsync(o => o.ShopId == command.ShopId && o.ExternalOrderId == command.ExternalOrderId, ct);
        if (existing is not null)
        {
            // The same order paid twice is one order; paid again with other lines or amounts it is a
            // contradiction the store must sort out, and the order stays as first paid.
            var paid = existing.Lines.Select(l => (l.ItemId, l.Quantity, l.PaidFen)).Order();
            var again = command.Lines.Select(l => (l.ItemId, l.Quantity, l.PaidFen)).Order();
            return paid.SequenceEqual(again)
                ? await ResultAsync(existing, ct)
                : new OrderEventProblem(409, "Order already paid differently",
                    $"Order {command.ExternalOrderId} of shop {command.ShopId} was already paid with other lines or amounts; nothing was changed.");
        }

        var itemIds = command.Lines.Select(l => l.ItemId).ToList();
        var items = await db.Items.Where(i => itemIds.Contains(i.Id) && i.ShopId == command.ShopId)
            .Select(i => new { i.Id, i.CategoryId }).ToDictionaryAsync(i => i.Id, ct);
        if (itemIds.FirstOrDefault(id => !items.ContainsKey(id)) is var unknown and > 0)
            return new OrderEventProblem(400, "Invalid order event", $"Item {unknown} is not an item of shop {command.ShopId}.");
        var shop = await db.Shops.AsNoTracking().SingleAsync(s => s.Id == command.ShopId, ct);

        var order = new Order
        {
            ShopId = command.ShopId,
            ExternalOrderId = command.ExternalOrderId,
            Source = command.Source,
            CheckoutId = command.CheckoutId,
            BuyerUserId = command.BuyerUserId,
            BuyerRef = command.BuyerRef,
            VisitorId = command.VisitorId,
            ClickIdHint = command.ClickId,
            State = OrderState.Paid,
            PaidAt = command.OccurredAt,
            CreatedAt = command.OccurredAt,
        };
        order.Lines.AddRange(command.Lines.Select(l => new OrderLine { ItemId = l.ItemId, Quantity = l.Quantity, PaidFen = l.PaidFen }));
        db.Orders.Add(order);

        var decision = await AttributeAsync(command, ct);
        order.AttributedClickId = decision.Winner?.Id;
        var note = decision.Note;
        if (decision.Winner is { } click)
        {
            var webmasterUserId = await db.Webmasters.Where(w => w.Id == click.WebmasterId).Select(w => w.UserId).SingleAsync(ct);
            if (command.BuyerUserId == webmasterUserId)
            {
                order.FraudFlag = "self_purchase";
                note += " Self-purchase: the buyer is the webmaster who clicked, so nothing is earned.";
            }
            else if (click.ShopId != command.ShopId)
            {
                note += $" The click was for shop {click.ShopId}, not this shop: items of other shops earn nothing.";
            }
            else if (CommissionCalculator.PaidAdClickNote(click) is { } paidAd)
            {
                note += " " + paidAd;
            }
            else
            {
                await db.SaveChangesAsync(ct); // line ids
                var total = await AccrueAsync(order, click, items.ToDictionary(i => i.Key, i => i.Value.CategoryId), ct);
                await db.SaveChangesAsync(ct);
                await ledger.PostAsync(Postings.CommissionAccrued(order.Id, shop.SellerId, click.WebmasterId, total), new(order.Id), ct: ct);
            }
        }
        order.AttributionNote = note.Length > 2000 ? note[..2000] : note;
        await db.SaveChangesAsync(ct);
        return await ResultAsync(order, ct);
    }

    private async Task<AttributionDecision> AttributeAsync(OrderEventCommand command, CancellationToken ct)
    {
        var window = TimeSpan.FromDays(options.Value.AttributionWindowDays);
        var from = command.OccurredAt - window;
        ClickFacts? explicitClick = null;
        if (command.ClickId is { } clickId)
        {
            explicitClick = await db.Clicks.AsNoTracking().Where(c => c.Id == clickId).Select(Facts).SingleOrDefaultAsync(ct);
        }
        var visitorClicks = command.VisitorId is { } visitor
            ? await db.Clicks.AsNoTracking()
                .Where(c => c.VisitorId == visitor && c.OccurredAt >= from && c.OccurredAt <= command.OccurredAt)
                .OrderByDescending(c => c.OccurredAt).Take(50).Select(Facts).ToListAsync(ct)
            : [];
        return LastClickAttribution.Decide(explicitClick, visitorClicks, command.OccurredAt, window, command.ShopId);
    }

    private static readonly System.Linq.Expressions.Expression<Func<Click, ClickFacts>> Facts = c => new ClickFacts(
        c.Id, c.OccurredAt, c.IsValid, c.InvalidReason, c.WebmasterId, c.SiteId, c.ItemId, c.ShopId, c.ItemRateBp, c.ShopRateBp, c.CampaignId);

    /// <summary>Creates one commission per earning line and returns their sum for the ledger.</summary>
    private async Task<CommissionAmounts> AccrueAsync(Order order, ClickFacts click, Dictionary<long, int> categoryOf, CancellationToken ct)
    {
        var fee = new Rate(options.Value.PlatformFeeBp);
        var programmes = await db.SubsidyProgrammes.AsNoTracking()
            .Where(p => p.IsActive && p.StartsAt <= order.PaidAt && p.EndsAt > order.PaidAt && p.SpentFen < p.CapFen)
            .ToListAsync(ct);
        var total = default(CommissionAmounts);
        foreach (var line in order.Lines)
        {
            var earned = CommissionCalculator.ForLine(click, order.ShopId, line.ItemId, new Money(line.PaidFen), fee);
            if (earned is null) continue;
            var amounts = earned.Amounts;
            var explanation = earned.Explanation;
            var programme = programmes.Where(p => p.CategoryId is null || p.CategoryId == categoryOf[line.ItemId])
                .OrderByDescending(p => p.BonusBp).FirstOrDefault();
            if (programme is not null && amounts.Webmaster.Fen > 0)
            {
                var granted = await GrantSubsidyAsync(programme.Id, CommissionCalculator.Bonus(amounts.Webmaster, programme.BonusBp), ct);
                amounts = amounts with { Subsidy = granted };
                explanation += $" Subsidy \"{programme.Name}\" +{new Rate(programme.BonusBp)} of the webmaster share = {granted}"
                    + (granted < CommissionCalculator.Bonus(amounts.Webmaster, programme.BonusBp) ? " (limited by the programme's cap)." : ".");
            }
            db.Commissions.Add(new Commission
            {
                OrderLineId = line.Id,
                OrderId = order.Id,
                WebmasterId = click.WebmasterId,
                ClickId = click.Id,
                SiteId = click.SiteId,
                RateBp = earned.RateBp,
                RateKind = earned.RateKind,
                PlatformFeeBp = fee.BasisPoints,
                SubsidyBonusBp = amounts.Subsidy.Fen > 0 ? programme!.BonusBp : 0,
                SubsidyProgrammeId = amounts.Subsidy.Fen > 0 ? programme!.Id : null,
                BaseFen = line.PaidFen,
                CommissionFen = amounts.Commission.Fen,
                PlatformFeeFen = amounts.PlatformFee.Fen,
                WebmasterFen = amounts.Webmaster.Fen,
                SubsidyFen = amounts.Subsidy.Fen,
                State = CommissionState.Pending,
                Explanation = explanation.Length > 1000 ? explanation[..1000] : explanation,
                CreatedAt = order.PaidAt,
            });
            total += amounts;
        }
        return total;
    }

    /// <summary>Takes up to <paramref name="wanted"/> from the programme's cap in one atomic step; returns what was granted.</summary>
    private async Task<Money> GrantSubsidyAsync(long programmeId, Money wanted, CancellationToken ct)
    {
        var granted = await db.Database.SqlQuery<long>($"""
            WITH before AS (SELECT spent_fen FROM subsidy_programmes WHERE id = {programmeId} FOR UPDATE)
            UPDATE subsidy_programmes p SET spent_fen = LEAST(p.cap_fen, p.spent_fen + {wanted.Fen})
            FROM before WHERE p.id = {programmeId}
            RETURNING p.spent_fen - before.spent_fen AS "Value"
            """).ToListAsync(ct);
        return new Money(granted.SingleOrDefault());
    }

    private async Task<Order?> LockOrderAsync(OrderEventCommand command, CancellationToken ct) =>
        await db.Orders.FromSql($"SELECT * FROM orders WHERE shop_id = {command.ShopId} AND external_order_id = {command.ExternalOrderId} FOR UPDATE")
            .Include(o => o.Lines).SingleOrDefaultAsync(ct);

    private static OrderEventProblem UnknownOrder(OrderEventCommand c) =>
        new(404, "Unknown order", $"Shop {c.ShopId} has no paid order {c.ExternalOrderId}; send its paid event first.");

    private async Task<OrderEventOutcome> ConfirmedAsync(OrderEventCommand command, CancellationToken ct)
    {
        if (await LockOrderAsync(command, ct) is not { } order) return UnknownOrder(command);
        if (order.State == OrderState.Paid)
        {
            order.State = OrderState.Confirmed;
            order.ConfirmedAt = command.OccurredAt < order.PaidAt ? order.PaidAt : command.OccurredAt;
            await db.SaveChangesAsync(ct);
        }
        return await ResultAsync(order, ct);
    }

    private async Task<OrderEventOutcome> RefundedAsync(OrderEventCommand command, string eventKey, CancellationToken ct)
    {
        if (await LockOrderAsync(command, ct) is not { } order) return UnknownOrder(command);
        var commissions = await db.Commissions.Where(c => c.OrderId == order.Id).ToDictionaryAsync(c => c.OrderLineId, ct);
        CommissionAmounts reversed = default, clawedBack = default;
        foreach (var refund in command.Lines)
        {
            var line = order.Lines.SingleOrDefault(l => l.ItemId == refund.ItemId);
            if (line is null) return new OrderEventProblem(400, "Invalid refund", $"Order {order.ExternalOrderId} has no line for item {refund.ItemId}.");
            var quantityLeft = line.Quantity - line.RefundedQuantity;
            var fenLeft = line.PaidFen - line.RefundedFen;
            if (refund.Quantity > quantityLeft)
                return new OrderEventProblem(400, "Invalid refund", $"Item {refund.ItemId}: {refund.Quantity} refunded but only {quantityLeft} left to refund.");
            // The refunded amount is what the store says, or else the line's price for that many units (all that is left for the last unit).
            var refundFen = refund.PaidFen > 0 ? refund.PaidFen
                : refund.Quantity == quantityLeft ? fenLeft
                : (long)Math.Round((decimal)line.PaidFen * refund.Quantity / line.Quantity, MidpointRounding.AwayFromZero);
            if (refundFen > fenLeft)
                return new OrderEventProblem(400, "Invalid refund", $"Item {refund.ItemId}: ¥{refundFen / 100m:0.00} refunded but only ¥{fenLeft / 100m:0.00} left.");
            line.RefundedQuantity += refund.Quantity;
            line.RefundedFen += refundFen;

            if (commissions.GetValueOrDefault(line.Id) is not { State: CommissionState.Pending or CommissionState.Settled } commission) continue;
            var before = commission.Effective();
            commission.RefundedBaseFen = Math.Min(commission.BaseFen, commission.RefundedBaseFen + refundFen);
            var delta = before - commission.Effective();
            var fullyRefunded = commission.RefundedBaseFen == commission.BaseFen;
            if (commission.State == CommissionState.Settled)
            {
                clawedBack += delta;
                if (fullyRefunded) commission.State = CommissionState.ClawedBack;
            }
            else
            {
                reversed += delta;
                if (fullyRefunded) commission.State = CommissionState.Reversed;
            }
            if (delta.Subsidy.Fen > 0)
            {
                // Subsidy given back returns to the programme's budget.
                await db.Database.ExecuteSqlAsync(
                    $"UPDATE subsidy_programmes SET spent_fen = spent_fen - {delta.Subsidy.Fen} WHERE id = {commission.SubsidyProgrammeId}", ct);
            }
        }
        if (IsFullyRefunded(order.Lines)) order.State = OrderState.Refunded;
        await db.SaveChangesAsync(ct);

        if (commissions.Count > 0)
        {
            var sellerId = await db.Shops.Where(s => s.Id == order.ShopId).Select(s => s.SellerId).SingleAsync(ct);
            var webmasterId = commissions.Values.First().WebmasterId;
            var refundKey = eventKey[..16];
            if (reversed != default)
                await ledger.PostAsync(Postings.CommissionReversed(order.Id, sellerId, webmasterId, reversed, refundKey), new(order.Id), ct: ct);
            if (clawedBack != default)
                await ledger.PostAsync(Postings.CommissionClawedBack(order.Id, sellerId, webmasterId, clawedBack, refundKey), new(order.Id), ct: ct);
        }
        return await ResultAsync(order, ct);
    }

    /// <summary>
    /// Only a refund of all the money ends an order (product.md, "An order stays open while money is left on
    /// it"): a refund naming every unit but part of the money leaves the rest to be confirmed and settled.
    /// An order that cost nothing ends when every unit is refunded.
    /// </summary>
    public static bool IsFullyRefunded(IReadOnlyCollection<OrderLine> lines) =>
        lines.Sum(l => l.PaidFen) > 0
            ? lines.All(l => l.RefundedFen == l.PaidFen)
            : lines.All(l => l.RefundedQuantity == l.Quantity);

    /// <summary>The order as it stands, line by line with what each still earns.</summary>
    public async Task<OrderEventResult> ResultAsync(Order order, CancellationToken ct)
    {
        var lines = await db.OrderLines.AsNoTracking().Where(l => l.OrderId == order.Id).OrderBy(l => l.Id).ToListAsync(ct);
        var commissions = await db.Commissions.AsNoTracking().Where(c => c.OrderId == order.Id).ToDictionaryAsync(c => c.OrderLineId, ct);
        return new OrderEventResult(order.Id, order.ShopId, order.ExternalOrderId, order.State.ToString(), order.AttributedClickId,
            order.AttributionNote, order.FraudFlag,
            lines.Select(l =>
            {
                var c = commissions.GetValueOrDefault(l.Id);
                var now = c?.Effective() ?? default;
                return new OrderLineResult(l.ItemId, l.Quantity, l.PaidFen, l.RefundedQuantity, l.RefundedFen, c?.State.ToString(),
                    now.Commission.Fen, now.Webmaster.Fen, now.PlatformFee.Fen, now.Subsidy.Fen, c?.Explanation);
            }).ToList());
    }
}
