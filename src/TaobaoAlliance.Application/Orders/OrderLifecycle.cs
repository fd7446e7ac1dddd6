using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using TaobaoAlliance.Application.Commissions;
using TaobaoAlliance.Application.Hooks;
using TaobaoAlliance.Application.Ledger;
using TaobaoAlliance.Application.Notifications;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Attribution.Ledger;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Commissions;
using TaobaoAlliance.Data.Orders;

namespace TaobaoAlliance.Application.Orders;

/// <summary>What one run of the order life did; <paramref name="RunningElsewhere"/> when another node was running it, so this one did nothing.</summary>
public sealed record LifecycleRun(int AutoConfirmed, int Settled, int WaitingForSellerFunds, bool RunningElsewhere = false)
{
    public static readonly LifecycleRun Elsewhere = new(0, 0, 0, RunningElsewhere: true);
}

/// <summary>
/// Moves orders through their life by the clock: unconfirmed orders confirm automatically after
/// <see cref="AllianceOptions.AutoConfirmDays"/>; confirmed orders settle after the hold, when the
/// seller's wallet pays the commission and the webmaster's money becomes available.
/// Runs on one node of the cluster at a time: a run holds the session advisory lock <see cref="AdvisoryLockSql"/>
/// on its own connection for as long as it runs, and a node that cannot take it skips its turn (another node is
/// doing the work; the next minute's run may be this node's). Underneath, each order is still claimed with
/// <c>FOR UPDATE SKIP LOCKED</c> and settles under an idempotent ledger key, so even a run that lost its lock
/// with its connection cannot settle an order twice.
/// </summary>
public sealed class OrderLifecycle(AllianceDbContext db, LedgerWriter ledger, Notifier notifier, HookOutbox hooks, IOptionsSnapshot<AllianceOptions> options,
    TimeProvider clock, ILogger<OrderLifecycle> logger)
{
    private const int BatchSize = 100;

    /// <summary>The advisory lock a run holds: one run in the whole cluster at a time.</summary>
    public const string AdvisoryLockSql = "hashtext('order_lifecycle')";

    public async Task<LifecycleRun> RunOnceAsync(CancellationToken ct = default)
    {
        // The context keeps this one connection open for the whole run, so the session lock spans its transactions.
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            if (await ScalarAsync($"SELECT pg_try_advisory_lock({AdvisoryLockSql})", ct) is not true)
            {
                logger.LogDebug("Order life skipped: another node is running it");
                return LifecycleRun.Elsewhere;
            }
            try
            {
                return await RunLockedAsync(ct);
            }
            finally
            {
                await UnlockAsync();
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private async Task UnlockAsync()
    {
        try
        {
            await ScalarAsync($"SELECT pg_advisory_unlock({AdvisoryLockSql})", CancellationToken.None);
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or InvalidOperationException)
        {
            // A broken connection took its session, and the lock, with it: nothing is left to release.
            logger.LogDebug(e, "Could not release the order-life lock; its connection is gone");
        }
    }

    private async Task<object?> ScalarAsync(string sql, CancellationToken ct)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(ct);
    }

    private async Task<LifecycleRun> RunLockedAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var confirmBefore = now - TimeSpan.FromDays(options.Value.AutoConfirmDays);
        var autoConfirmed = await db.Orders
            .Where(o => o.State == OrderState.Paid && o.PaidAt <= confirmBefore)
            .ExecuteUpdateAsync(s => s
                .SetProperty(o => o.State, OrderState.Confirmed)
                .SetProperty(o => o.ConfirmedAt, o => o.PaidAt.AddDays(options.Value.AutoConfirmDays)), ct);

        var settleBefore = now - TimeSpan.FromDays(options.Value.SettlementHoldDays);
        int settled = 0, waiting = 0;
        var skip = new List<long>();
        // One notice per webmaster for the whole run: each batch adds its commissions to the run's notice.
        var runKey = now.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        while (true)
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var skipIds = skip.ToArray();
            var orders = await db.Orders.FromSql($"""
                SELECT * FROM orders
                WHERE state = 'Confirmed' AND confirmed_at <= {settleBefore} AND NOT (id = ANY({skipIds}))
                ORDER BY confirmed_at, id LIMIT {BatchSize} FOR UPDATE SKIP LOCKED
                """).ToListAsync(ct);
            if (orders.Count == 0) break;
            var earned = new Dictionary<long, (int Count, long AmountFen)>();
            foreach (var order in orders)
            {
                if (await SettleAsync(order, now, earned, ct)) settled++;
                else { waiting++; skip.Add(order.Id); }
            }
            await notifier.CommissionsSettledAsync(earned, runKey, ct);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            db.ChangeTracker.Clear();
        }
        if (autoConfirmed + settled + waiting > 0)
        {
            logger.LogInformation("Order life: {AutoConfirmed} auto-confirmed, {Settled} settled, {Waiting} waiting for seller funds",
                autoConfirmed, settled, waiting);
        }
        return new(autoConfirmed, settled, waiting);
    }

    /// <summary>Settles one order's pending commissions; false when the seller's wallet cannot pay yet.</summary>
    private async Task<bool> SettleAsync(Order order, DateTimeOffset now, Dictionary<long, (int Count, long AmountFen)> earned, CancellationToken ct)
    {
        var commissions = await db.Commissions.Where(c => c.OrderId == order.Id && c.State == CommissionState.Pending).ToListAsync(ct);
        if (commissions.Count > 0)
        {
            var total = commissions.Aggregate(default(CommissionAmounts), (sum, c) => sum + c.Effective());
            var sellerId = await db.Shops.Where(s => s.Id == order.ShopId).Select(s => s.SellerId).SingleAsync(ct);
            var result = await ledger.PostAsync(
                Postings.CommissionSettled(order.Id, sellerId, commissions[0].WebmasterId, total), new(order.Id),
                guarded: [AccountKind.SellerWallet], ct: ct);
            if (result == PostResult.InsufficientFunds)
            {
                logger.LogWarning("Order {OrderId} cannot settle: the wallet of seller {SellerId} cannot pay {Commission}",
                    order.Id, sellerId, total.Commission);
                return false;
            }
            foreach (var commission in commissions)
            {
                commission.State = CommissionState.Settled;
                commission.SettledAt = now;
            }
            var webmasterId = commissions[0].WebmasterId;
            var (count, fen) = earned.GetValueOrDefault(webmasterId);
            earned[webmasterId] = (count + commissions.Count, fen + total.WebmasterTotal.Fen);
            await hooks.CommissionsChangedAsync(order, commissions, CommissionChange.Confirmed, ct);
        }
        order.State = OrderState.Settled;
        return true;
    }
}

/// <summary>Runs the order life every minute in the background (off when <c>OrderLifecycle:Enabled</c> is false).</summary>
public sealed class OrderLifecycleService(IServiceScopeFactory scopes, TimeProvider clock, ILogger<OrderLifecycleService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1), clock);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<OrderLifecycle>().RunOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "The order life run failed; it will run again in a minute");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
