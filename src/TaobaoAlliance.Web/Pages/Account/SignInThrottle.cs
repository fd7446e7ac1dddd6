using System.Security.Cryptography;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using TaobaoAlliance.Data.Identity;
using TaobaoAlliance.Web.Hosting;

namespace TaobaoAlliance.Web.Pages.Account;

/// <summary>
/// Guards sign-in against password guessing without handing anyone a way to lock others out.
/// Identity's lockout (five failures lock for 15 minutes) let anyone who knew an address keep its owner out
/// for good; so failures no longer lock. Instead guessing is slowed: per IP by the account forms' rate limit,
/// and per account by a token bucket (a burst, then a few attempts a minute) — an attacker spreading guesses
/// over many addresses gets a handful a minute, and the owner is at worst asked to wait a minute, never locked.
/// An unknown email still pays for one password hash, so the answer's timing does not tell who is registered.
/// </summary>
public sealed class SignInThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<string> perAccount;
    private string? dummyHash;

    public SignInThrottle(IOptions<RateLimitOptions> options)
    {
        var limits = options.Value;
        perAccount = PartitionedRateLimiter.Create<string, string>(account => limits.Enabled
            ? RateLimitPartition.GetTokenBucketLimiter(account, _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = limits.SignInBurstPerAccount,
                TokensPerPeriod = limits.SignInsPerMinutePerAccount,
                ReplenishmentPeriod = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
                AutoReplenishment = true,
            })
            : RateLimitPartition.GetNoLimiter(account));
    }

    /// <summary>Takes one attempt from the account's bucket; false when it is empty (the caller says wait a minute).</summary>
    public bool TryAttempt(string email)
    {
        using var lease = perAccount.AttemptAcquire(email.Trim().ToUpperInvariant());
        return lease.IsAcquired;
    }

    /// <summary>Spends the work of a real password check for an email with no account.</summary>
    public void CheckAgainstNobody(IPasswordHasher<AllianceUser> hasher, string password)
    {
        var hash = LazyInitializer.EnsureInitialized(ref dummyHash,
            () => hasher.HashPassword(new AllianceUser(), Convert.ToHexString(RandomNumberGenerator.GetBytes(16))));
        hasher.VerifyHashedPassword(new AllianceUser(), hash, password);
    }

    public void Dispose() => perAccount.Dispose();
}
