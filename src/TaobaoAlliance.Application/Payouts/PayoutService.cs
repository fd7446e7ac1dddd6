using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Attribution.Ledger;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Payouts;
using TaobaoAlliance.Application.Audit;
using TaobaoAlliance.Application.Ledger;
using TaobaoAlliance.Application.Notifications;

namespace TaobaoAlliance.Application.Payouts;

/// <summary>Why a payout action was refused; nothing was written.</summary>
public enum PayoutRefusal
{
    /// <summary>Less than the threshold (<see cref="PayoutOutcome.Limit"/>).</summary>
    BelowThreshold,
    OpenRequestExists,
    /// <summary>More than the available balance (<see cref="PayoutOutcome.Limit"/>).</summary>
    MoreThanAvailable,
    ReasonRequired,
    NotFound,
    /// <summary>Already approved or rejected (<see cref="PayoutOutcome.Request"/> says which).</summary>
    AlreadyDecided,
    /// <summary>The webmaster has no payout method: nobody would know where to send the money.</summary>
    NoPayoutMethod,
    /// <summary>Marking paid needs the transfer's reference.</summary>
    ReferenceRequired,
    /// <summary>Only an approved, unpaid request can be marked paid (<see cref="PayoutOutcome.Request"/> says what it is).</summary>
    NotApproved,
}

/// <summary>The answer to a payout action: the request, or why it was refused.</summary>
public sealed record PayoutOutcome(PayoutRequest? Request, PayoutRefusal? Refusal = null, Money Limit = default)
{
    public bool Succeeded => Refusal is null;

    public static PayoutOutcome Refused(PayoutRefusal refusal, Money limit = default, PayoutRequest? request = null) => new(request, refusal, limit);
}

/// <summary>
/// Payouts: a webmaster asks for available money (at least the threshold, never more than is
/// available — settled money only, so nothing inside its hold — one open request at a time); an admin
/// approves (final) or rejects (the money returns to available). Every step is a ledger entry. Approval moves the money
/// to paid out (it is owed, whatever happens next); finance then records its transfer with a reference (Paid), audited.
/// A request needs a payout method, whoever asks.
/// </summary>
public sealed class PayoutService(AllianceDbContext db, LedgerWriter ledger, AuditTrail audit, Notifier notifier, IOptionsSnapshot<AllianceOptions> options, TimeProvider clock)
{
    public async Task<PayoutOutcome> RequestAsync(long webmasterId, Money amount, CancellationToken ct = default)
    {
        var threshold = new Money(options.Value.PayoutThresholdFen);
        if (amount < threshold) return PayoutOutcome.Refused(PayoutRefusal.BelowThreshold, threshold);
        if (!await db.PayoutMethods.AnyAsync(m => m.WebmasterId == webmasterId, ct)) return PayoutOutcome.Refused(PayoutRefusal.NoPayoutMethod);

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
            return PayoutOutcome.Refused(PayoutRefusal.OpenRequestExists);
        }
        // The ledger refuses to take more than the available balance (checked under a lock on the account).
        var posted = await ledger.PostAsync(Postings.PayoutRequested(request.Id, webmasterId, amount), new(PayoutRequestId: request.Id),
            guarded: [AccountKind.WebmasterAvailable], ct: ct);
        if (posted == PostResult.InsufficientFunds)
        {
            await transaction.RollbackAsync(ct);
            db.ChangeTracker.Clear();
            return PayoutOutcome.Refused(PayoutRefusal.MoreThanAvailable, await ledger.BalanceAsync(AccountRef.Available(webmasterId), ct));
        }
        await transaction.CommitAsync(ct);
        return new(request);
    }

    public Task<PayoutOutcome> ApproveAsync(long payoutId, long adminUserId, CancellationToken ct = default) =>
        DecideAsync(payoutId, adminUserId, PayoutState.Approved, null, ct);

    public Task<PayoutOutcome> RejectAsync(long payoutId, long adminUserId, string reason, CancellationToken ct = default) =>
        string.IsNullOrWhiteSpace(reason)
            ? Task.FromResult(PayoutOutcome.Refused(PayoutRefusal.ReasonRequired))
            : DecideAsync(payoutId, adminUserId, PayoutState.Rejected, reason.Trim(), ct);

    public const int MaxReferenceLength = 100;

    /// <summary>Records finance's transfer of an approved request: its reference, who and when. No ledger entry: approval already paid it out.</summary>
    public async Task<PayoutOutcome> MarkPaidAsync(long payoutId, long adminUserId, string reference, CancellationToken ct = default)
    {
        reference = reference?.Trim() ?? "";
        if (reference.Length == 0 || reference.Length > MaxReferenceLength) return PayoutOutcome.Refused(PayoutRefusal.ReferenceRequired);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var request = await db.PayoutRequests.FromSql($"SELECT * FROM payout_requests WHERE id = {payoutId} FOR UPDATE").SingleOrDefaultAsync(ct);
        if (request is null) return PayoutOutcome.Refused(PayoutRefusal.NotFound);
        if (request.State != PayoutState.Approved) return PayoutOutcome.Refused(PayoutRefusal.NotApproved, request: request);
        request.State = PayoutState.Paid;
        request.PaidAt = clock.GetUtcNow();
        request.PaidByUserId = adminUserId;
        request.PaidReference = reference;
        audit.Record(adminUserId, "payout.paid", "payout_request", request.Id, new { request.WebmasterId, request.AmountFen, reference });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return new(request);
    }

    private async Task<PayoutOutcome> DecideAsync(long payoutId, long adminUserId, PayoutState decision, string? reason, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var request = await db.PayoutRequests.FromSql($"SELECT * FROM payout_requests WHERE id = {payoutId} FOR UPDATE").SingleOrDefaultAsync(ct);
        if (request is null) return PayoutOutcome.Refused(PayoutRefusal.NotFound);
        if (request.State != PayoutState.Requested) return PayoutOutcome.Refused(PayoutRefusal.AlreadyDecided, request: request);

        var amount = new Money(request.AmountFen);
        var entry = decision == PayoutState.Approved
            ? Postings.PayoutApproved(request.Id, request.WebmasterId, amount)
            : Postings.PayoutRejected(request.Id, request.WebmasterId, amount);
        await ledger.PostAsync(entry, new(PayoutRequestId: request.Id, ActorUserId: adminUserId), ct: ct);
        request.State = decision;
        request.DecidedAt = clock.GetUtcNow();
        request.DecidedByUserId = adminUserId;
        request.Reason = reason;
        audit.Record(adminUserId, decision == PayoutState.Approved ? "payout.approve" : "payout.reject", "payout_request", request.Id,
            new { request.WebmasterId, request.AmountFen, reason });
        await notifier.PayoutDecidedAsync(request.WebmasterId, request.Id, request.AmountFen, decision.ToString(), reason, ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return new(request);
    }
}
