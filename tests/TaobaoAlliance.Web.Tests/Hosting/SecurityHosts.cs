using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TaobaoAlliance.Data.Identity;
using TaobaoAlliance.Application.Ledger;

namespace TaobaoAlliance.Web.Tests.Hosting;

/// <summary>
/// Test-only seam of the security hosts: a header that makes the ledger fail (an unhandled exception inside an
/// API route). The client's address is set with <see cref="TestClientAddress.Header"/>, as in every test host.
/// </summary>
public static class TestSeams
{
    public const string FailHeader = "X-Test-Fail";

    /// <summary>A request carrying <see cref="FailHeader"/> gets a LedgerWriter that throws (GET /api/v1/me/balance uses one).</summary>
    public static void AddFailingLedger(this IWebHostBuilder builder) =>
        builder.ConfigureServices(services =>
        {
            services.AddHttpContextAccessor();
            services.AddScoped(provider =>
                provider.GetRequiredService<IHttpContextAccessor>().HttpContext?.Request.Headers.ContainsKey(FailHeader) == true
                    ? throw new InvalidOperationException("Injected failure for the test")
                    : ActivatorUtilities.CreateInstance<LedgerWriter>(provider));
        });
}

/// <summary>The app as ./build.sh run starts it: Development (any Host, developer exception page, OpenAPI document).</summary>
public sealed class DevelopmentApp : AllianceApp
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseEnvironment("Development");
        // Plain http, like ./build.sh run: an https origin would make the auth cookie Secure, which the http test client drops.
        builder.UseSetting("PublicSite:Origin", "http://alliance.test");
        builder.AddFailingLedger();
    }
}

/// <summary>The default test host (not Development) with the failing-ledger seam.</summary>
public sealed class FailingLedgerApp : AllianceApp
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.AddFailingLedger();
    }
}

/// <summary>On a real Kestrel port, with the public site on HTTPS (as in production).</summary>
public sealed class KestrelApp : AllianceApp
{
    public KestrelApp() : base(realServer: true)
    {
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("PublicSite:Origin", "https://alliance.test");
    }
}

/// <summary>Counts password verifications, so a test can see the hasher ran without timing anything.</summary>
public sealed class CountingPasswordHasher(IOptions<PasswordHasherOptions> options) : IPasswordHasher<AllianceUser>
{
    private static int verifications;
    private readonly PasswordHasher<AllianceUser> inner = new(options);

    public static int Verifications => Volatile.Read(ref verifications);

    public string HashPassword(AllianceUser user, string password) => inner.HashPassword(user, password);

    public PasswordVerificationResult VerifyHashedPassword(AllianceUser user, string hashedPassword, string providedPassword)
    {
        Interlocked.Increment(ref verifications);
        return inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
    }
}

/// <summary>Low limits (per IP from <see cref="TestClientAddress.Header"/>) and a counting password hasher.</summary>
public sealed class LimitedApp : AllianceApp
{
    public const int AccountPostsPerIp = 3;
    public const int ApiCallsPerKey = 3;
    public const int ApiCallsPerIp = 8;
    public const int SignInBurstPerAccount = 3;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("RateLimits:AccountPostsPerMinutePerIp", AccountPostsPerIp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("RateLimits:ApiCallsPerMinutePerKey", ApiCallsPerKey.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("RateLimits:ApiCallsPerMinutePerIp", ApiCallsPerIp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("RateLimits:SignInBurstPerAccount", SignInBurstPerAccount.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("RateLimits:SignInsPerMinutePerAccount", "1");
        builder.ConfigureServices(services => services.AddScoped<IPasswordHasher<AllianceUser>, CountingPasswordHasher>());
    }
}
