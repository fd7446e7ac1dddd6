using Microsoft.Extensions.Options;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Attribution.Ledger;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Wallet;
using TaobaoAlliance.Application.Audit;
using TaobaoAlliance.Application.Ledger;

namespace TaobaoAlliance.Application.Wallet;

/// <summary>The end of a deposit attempt: the deposit row as it now stands, and the reason when nothing was credited.</summary>
public sealed record DepositOutcome(WalletDeposit Deposit, string? Error)
{
    public bool Succeeded => Error is null;
}

/// <summary>
/// Funds a seller's wallet through the payment gateway. The attempt is committed as Pending before the
/// gateway is asked (so an attempt that never finishes stays visible), the gateway gets a deadline, and
/// only an approval credits the wallet: the deposit's state, the ledger entry (idempotent on the deposit
/// id) and the audit row commit together. A refusal, a timeout or an error marks it Failed and posts nothing.
/// </summary>
public sealed class WalletDeposits(
    AllianceDbContext db,
    LedgerWriter ledger,
    AuditTrail audit,
    IPaymentGateway gateway,
    IOptions<WalletOptions> options,
    TimeProvider clock,
    ILogger<WalletDeposits> logger)
{
    public const string TimeoutReason = "The payment service did not answer in time. Nothing was added to your wallet.";
    public const string ErrorReason = "The payment service could not be reached. Nothing was added to your wallet.";
    public const string InterruptedReason = "The deposit was interrupted before the payment service answered. Nothing was added to your wallet.";
    public const string DeclinedReason = "The payment was declined. Nothing was added to your wallet.";

    public WalletOptions Options => options.Value;

    public static string IdempotencyKey(long depositId) => FormattableString.Invariant($"deposit:{depositId}");

    public async Task<DepositOutcome> DepositAsync(long sellerId, long actorUserId, Money amount, CancellationToken ct = default)
    {
        var settings = options.Value;
        if (amount.Fen < settings.MinDepositFen || amount.Fen > settings.MaxDepositFen)
        {
            throw new ArgumentOutOfRangeException(nameof(amount), amount, "The page checks the deposit range before asking for a deposit");
        }

        var deposit = new WalletDeposit { SellerId = sellerId, AmountFen = amount.Fen, State = DepositState.Pending, CreatedAt = clock.GetUtcNow() };
        db.WalletDeposits.Add(deposit);
        await db.SaveChangesAsync(ct);

        PaymentResult? result = null;
        string? failure = null;
        using (var deadline = new CancellationTokenSource(settings.GatewayTimeout, clock))
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, ct))
        {
            try
            {
                // WaitAsync: stop waiting at the deadline even if a gateway ignores its token.
                result = await gateway.ChargeAsync(new PaymentRequest(deposit.Id, sellerId, amount), linked.Token).WaitAsync(linked.Token);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                logger.LogWarning("Payment gateway gave no answer within {Timeout} for deposit {DepositId} of seller {SellerId}",
                    settings.GatewayTimeout, deposit.Id, sellerId);
                failure = TimeoutReason;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                logger.LogWarning("Deposit {DepositId} of seller {SellerId} was interrupted by the client", deposit.Id, sellerId);
                failure = InterruptedReason;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Payment gateway failed for deposit {DepositId} of seller {SellerId}", deposit.Id, sellerId);
                failure = ErrorReason;
            }
        }

        // From here on the outcome is written even if the browser went away: a deposit must not stay Pending by accident.
        if (result is { Approved: true, Reference: { } reference })
        {
            await CreditAsync(deposit, reference, actorUserId);
            logger.LogInformation("Deposit {DepositId} of {AmountFen} fen credited to seller {SellerId} (gateway reference {Reference})",
                deposit.Id, amount.Fen, sellerId, reference);
            return new(deposit, null);
        }

        if (result is not null)
        {
            logger.LogInformation("Payment gateway declined deposit {DepositId} of seller {SellerId}: {Reason}", deposit.Id, sellerId, result.RefusalReason);
            failure = string.IsNullOrWhiteSpace(result.RefusalReason)
                ? DeclinedReason
                : $"The payment was declined: {Truncate(result.RefusalReason.Trim().TrimEnd('.'), 120)}. Nothing was added to your wallet.";
        }
        deposit.State = DepositState.Failed;
        deposit.FailureReason = failure ?? ErrorReason;
        deposit.CompletedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(CancellationToken.None);
        return new(deposit, deposit.FailureReason);
    }

    private async Task CreditAsync(WalletDeposit deposit, string reference, long actorUserId)
    {
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None);
        deposit.State = DepositState.Succeeded;
        deposit.GatewayReference = Truncate(reference, 64);
        deposit.CompletedAt = now;
        audit.Record(actorUserId, "wallet.deposit", "wallet_deposit", deposit.Id,
            new { deposit.SellerId, deposit.AmountFen, deposit.GatewayReference });
        // PostAsync saves the deposit and the audit row with the entry, inside this transaction.
        await ledger.PostAsync(Postings.Deposit(deposit.SellerId, new Money(deposit.AmountFen), IdempotencyKey(deposit.Id)),
            new EntryContext(ActorUserId: actorUserId), ct: CancellationToken.None);
        await transaction.CommitAsync(CancellationToken.None);
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];
}
