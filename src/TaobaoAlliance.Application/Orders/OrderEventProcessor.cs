using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using TaobaoAlliance.Application.Hooks;
using TaobaoAlliance.Application.Ledger;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Orders;

namespace TaobaoAlliance.Application.Orders;

/// <summary>
/// Applies order events — paid, confirmed, refunded — exactly once each, whether they come from the
/// Orders API or the storefront: attribution and commission on <c>paid</c> (<see cref="OrderPayments"/>),
/// reversal or clawback on <c>refunded</c> (<see cref="OrderRefunds"/>), with their ledger entries, all in one transaction.
/// </summary>
public sealed class OrderEventProcessor(
    AllianceDbContext db,
    LedgerWriter ledger,
    Notifications.Notifier notifier, HookOutbox hooks,
    IOptionsSnapshot<AllianceOptions> options,
    TimeProvider clock,
    ILogger<OrderEventProcessor> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly OrderRecords records = new(db);

    public async Task<OrderEventOutcome> ProcessAsync(OrderEventCommand command, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (OrderEventValidation.Check(command, clock.GetUtcNow()) is { } invalid) return invalid;
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
                // it finds the winner's order and answers with it (or refuses it when its lines differ).
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
            OrderEventCommand.Paid => await new OrderPayments(db, ledger, records, options.Value, hooks).PaidAsync(command, ct),
            OrderEventCommand.Confirmed => await ConfirmedAsync(command, ct),
            _ => await new OrderRefunds(db, ledger, records, notifier, hooks).RefundedAsync(command, key, ct),
        };
        if (!outcome.Succeeded)
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

    private async Task<OrderEventOutcome> ConfirmedAsync(OrderEventCommand command, CancellationToken ct)
    {
        if (await records.LockAsync(command, ct) is not { } order) return UnknownOrder(command);
        if (order.State == OrderState.Paid)
        {
            order.State = OrderState.Confirmed;
            order.ConfirmedAt = command.OccurredAt < order.PaidAt ? order.PaidAt : command.OccurredAt;
            await db.SaveChangesAsync(ct);
        }
        return await records.ResultAsync(order, ct);
    }

    internal static OrderEventOutcome UnknownOrder(OrderEventCommand c) => OrderEventOutcome.Refused(OrderEventRefusal.UnknownOrder,
        $"Shop {c.ShopId} has no paid order {c.ExternalOrderId}; send its paid event first.");
}
