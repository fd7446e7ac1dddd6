using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Attribution.Ledger;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Audit;
using TaobaoAlliance.Data.Payouts;
using TaobaoAlliance.Web.Ledger;

namespace TaobaoAlliance.Web.Payouts;

/// <summary>The answer to a payout action: the request, or why it was refused (nothing written then).</summary>
public sealed record PayoutOutcome(PayoutRequest? Request, string? Error)
{
    public bool Succeeded => Error is null;
}

/// <summary>
/// Payouts: a webmaster asks for available money (at least the threshold, never more than is
/// available — settled money only, so nothing inside its hold — one open request at a time); an admin
/// approves (final) or rejects (the money returns to available). Every step is a ledger entry.
/// </summary>
public sealed class PayoutService(AllianceDbContext db, LedgerWriter ledger, IOptionsSnapshot<AllianceOptions> options, TimeProvider clock)
{
    public async Task<PayoutOutcome> RequestAsync(long webmasterId, Money amount, CancellationToken ct = default)
    {
        var threshold = new Money(options.Value.PayoutThresholdFen);
        if (amount < threshold) return new(null, $"The smallest payout is {threshold}.");

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var request = new PayoutRequest { WebmasterId = webmasterId, AmountFen = amount.Fen, State = PayoutState.Requested, RequestedAt = clock.GetUtcNow() };
        db.PayoutRequests.Add(request);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { ConstraintName: "ux_payout_requests_one_open" })
        {
            db.ChangeTracker.Clear();
            return new(null, "You already have an open payout request; wait for the admin's decision.");
        }
        // The ledger refuses to take more than the available balance (checked under a lock on the account).
        var posted = await ledger.PostAsync(Postings.PayoutRequested(request.Id, webmasterId, amount), new(PayoutRequestId: request.Id),
            guarded: [AccountKind.WebmasterAvailable], ct: ct);
        if (posted == PostResult.InsufficientFunds)
        {
            await transaction.RollbackAsync(ct);
            db.ChangeTracker.Clear();
            return new(null, $"You can request at most your available balance, {await ledger.BalanceAsync(AccountRef.Available(webmasterId), ct)}.");
        }
        await transaction.CommitAsync(ct);
        return new(request, null);
    }

    public Task<PayoutOutcome> ApproveAsync(long payoutId, long adminUserId, CancellationToken ct = default) =>
        DecideAsync(payoutId, adminUserId, PayoutState.Approved, null, ct);

    public Task<PayoutOutcome> RejectAsync(long payoutId, long adminUserId, string reason, CancellationToken ct = default) =>
        string.IsNullOrWhiteSpace(reason)
            ? Task.FromResult(new PayoutOutcome(null, "Give the webmaster a reason for the rejection."))
            : DecideAsync(payoutId, adminUserId, PayoutState.Rejected, reason.Trim(), ct);

    private async Task<PayoutOutcome> DecideAsync(long payoutId, long adminUserId, PayoutState decision, string? reason, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var request = await db.PayoutRequests.FromSql($"SELECT * FROM payout_requests WHERE id = {payoutId} FOR UPDATE").SingleOrDefaultAsync(ct);
        if (request is null) return new(null, "No such payout request.");
        if (request.State != PayoutState.Requested) return new(null, $"This request is already {request.State.ToString().ToLowerInvariant()}.");

        var amount = new Money(request.AmountFen);
        var entry = decision == PayoutState.Approved
            ? Postings.PayoutApproved(request.Id, request.WebmasterId, amount)
            : Postings.PayoutRejected(request.Id, request.WebmasterId, amount);
        await ledger.PostAsync(entry, new(PayoutRequestId: request.Id, ActorUserId: adminUserId), ct: ct);
        request.State = decision;
        request.DecidedAt = clock.GetUtcNow();
        request.DecidedByUserId = adminUserId;
        request.Reason = reason;
        db.AuditLog.Add(new AuditLogEntry
        {
            At = clock.GetUtcNow(),
            ActorUserId = adminUserId,
            Action = decision == PayoutState.Approved ? "payout.approve" : "payout.reject",
            EntityType = "payout_request",
            EntityId = request.Id.ToString(),
            Details = JsonSerializer.Serialize(new { request.WebmasterId, request.AmountFen, reason }),
        });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return new(request, null);
    }
}
