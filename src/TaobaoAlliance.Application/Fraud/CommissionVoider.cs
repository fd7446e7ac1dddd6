using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Application.Audit;
using TaobaoAlliance.Application.Commissions;
using TaobaoAlliance.Application.Hooks;
using TaobaoAlliance.Application.Ledger;
using TaobaoAlliance.Application.Notifications;
using TaobaoAlliance.Attribution.Ledger;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Commissions;

namespace TaobaoAlliance.Application.Fraud;

/// <summary>Why a void was refused; nothing was written then.</summary>
public enum VoidRefusal { NoSuchCommission, ReasonRequired, ReasonTooLong, NotVoidable }

/// <summary>The answer to a void: the commission as it now stands, or why nothing was done.</summary>
public sealed record VoidOutcome(Commission? Commission, VoidRefusal? Refusal, CommissionState? StateFound = null)
{
    public bool Succeeded => Refusal is null;
}

/// <summary>
/// An admin voids a commission found to be fraudulent. Whatever the commission still moves is undone
/// in the ledger: a pending one is reversed (as a refund before settlement would), a settled one is
/// clawed back from the webmaster's available balance (as a refund after settlement would). Any subsidy
/// goes back to its programme's budget. State, ledger entry and audit row commit together or not at all.
/// </summary>
public sealed class CommissionVoider(AllianceDbContext db, AuditTrail audit, LedgerWriter ledger, Notifier notifier, HookOutbox hooks, ILogger<CommissionVoider> logger)
{
    public const int MaxReasonLength = 1000;

    public async Task<VoidOutcome> VoidAsync(long commissionId, long adminUserId, string? reason, CancellationToken ct = default)
    {
        reason = reason?.Trim();
        if (string.IsNullOrEmpty(reason)) return new(null, VoidRefusal.ReasonRequired);
        if (reason.Length > MaxReasonLength) return new(null, VoidRefusal.ReasonTooLong);

        var orderId = await db.Commissions.Where(c => c.Id == commissionId).Select(c => (long?)c.OrderId).SingleOrDefaultAsync(ct);
        if (orderId is null) return new(null, VoidRefusal.NoSuchCommission);

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // Lock the order as refunds and settlement do, so a void never races a refund or a settlement of the same order.
        var order = await db.Orders.FromSql($"SELECT * FROM orders WHERE id = {orderId} FOR UPDATE").SingleAsync(ct);
        var commission = await db.Commissions.SingleAsync(c => c.Id == commissionId, ct);
        if (commission.State is not (CommissionState.Pending or CommissionState.Settled))
        {
            await transaction.RollbackAsync(ct);
            db.ChangeTracker.Clear();
            return new(null, VoidRefusal.NotVoidable, commission.State);
        }

        var undo = commission.Effective();
        var stateBefore = commission.State;
        var sellerId = await db.Shops.Where(s => s.Id == order.ShopId).Select(s => s.SellerId).SingleAsync(ct);
        var key = "void-" + commission.Id;
        if (undo != default)
        {
            var entry = stateBefore == CommissionState.Pending
                ? Postings.CommissionReversed(order.Id, sellerId, commission.WebmasterId, undo, key)
                : Postings.CommissionClawedBack(order.Id, sellerId, commission.WebmasterId, undo, key);
            await ledger.PostAsync(entry, new(order.Id, ActorUserId: adminUserId), ct: ct);
        }
        if (undo.Subsidy.Fen > 0 && commission.SubsidyProgrammeId is { } programmeId)
        {
            // The subsidy was never really spent: give it back to the programme's budget.
            await db.Database.ExecuteSqlAsync(
                $"UPDATE subsidy_programmes SET spent_fen = spent_fen - {undo.Subsidy.Fen} WHERE id = {programmeId}", ct);
        }

        commission.State = CommissionState.Voided;
        await hooks.CommissionsChangedAsync(order, [commission], stateBefore == CommissionState.Pending ? CommissionChange.Reversed : CommissionChange.ClawedBack, ct);
        audit.Record(adminUserId, "commission.void", "commission", commission.Id, new
        {
            orderId = order.Id,
            commission.WebmasterId,
            fromState = stateBefore.ToString(),
            commissionFen = undo.Commission.Fen,
            platformFeeFen = undo.PlatformFee.Fen,
            webmasterFen = undo.Webmaster.Fen,
            subsidyFen = undo.Subsidy.Fen,
            reason,
        });
        if (undo.WebmasterTotal.Fen != 0)
            await notifier.CommissionReversedAsync(commission.WebmasterId, order.Id, order.ExternalOrderId, undo.WebmasterTotal.Fen,
                clawback: stateBefore == CommissionState.Settled, voided: true, ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        logger.LogInformation("Commission {CommissionId} of order {OrderId} voided by admin {AdminUserId} (was {State}, undid {Commission})",
            commission.Id, order.Id, adminUserId, stateBefore, undo.Commission);
        return new(commission, null);
    }
}
