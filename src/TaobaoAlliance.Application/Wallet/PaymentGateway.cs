using System.Security.Cryptography;
using TaobaoAlliance.Attribution;

namespace TaobaoAlliance.Application.Wallet;

/// <summary>
/// One charge to ask the payment service for. <see cref="DepositId"/> is the idempotency reference: a
/// real provider charges a given reference at most once, so an uncertain attempt can be reconciled later.
/// </summary>
public sealed record PaymentRequest(long DepositId, long SellerId, Money Amount);

/// <summary>The payment service's answer: approved with its reference, or refused with a reason the seller can read.</summary>
public sealed record PaymentResult(bool Approved, string? Reference, string? RefusalReason)
{
    public static PaymentResult Approve(string reference) => new(true, reference, null);

    public static PaymentResult Refuse(string reason) => new(false, null, reason);
}

/// <summary>
/// The payment step of a wallet deposit. The seam exists because money comes from outside: development
/// approves at once, tests refuse or never answer, production would call a real provider.
/// </summary>
public interface IPaymentGateway
{
    Task<PaymentResult> ChargeAsync(PaymentRequest request, CancellationToken ct);
}

/// <summary>The simulated payment step of the demo: every charge is approved at once with a made-up reference.</summary>
public sealed class DevelopmentPaymentGateway : IPaymentGateway
{
    public Task<PaymentResult> ChargeAsync(PaymentRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var reference = string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"dev_{request.DepositId}_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}");
        return Task.FromResult(PaymentResult.Approve(reference));
    }
}
