using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using TaobaoAlliance.Web.Api;
using TaobaoAlliance.Web.Pages.Account;

namespace TaobaoAlliance.Web.Hosting;

/// <summary>
/// How fast one client may use the account forms and the API. Limits are per minute, in fixed windows;
/// the click path (/c, /z) is never limited: a shopper's click always gets its redirect.
/// </summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>Off only where something in front of the app already limits (or in a load test).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>POSTs of sign-in, sign-up, forgot-password and reset-password from one IP address.</summary>
    [Range(1, 1_000_000)] public int AccountPostsPerMinutePerIp { get; set; } = 10;

    /// <summary>API calls with one X-Api-Key (or, for signed routes, for one shop).</summary>
    [Range(1, 1_000_000)] public int ApiCallsPerMinutePerKey { get; set; } = 120;

    /// <summary>API calls from one IP address whatever the key: the backstop against rotating made-up keys.</summary>
    [Range(1, 1_000_000)] public int ApiCallsPerMinutePerIp { get; set; } = 600;

    /// <summary>Sign-in attempts on one account (from any address) before it slows to <see cref="SignInsPerMinutePerAccount"/>.</summary>
    [Range(1, 1_000_000)] public int SignInBurstPerAccount { get; set; } = 10;

    /// <summary>Sign-in attempts per minute on one account once its burst is spent.</summary>
    [Range(1, 1_000_000)] public int SignInsPerMinutePerAccount { get; set; } = 2;
}

/// <summary>The framework's rate limiter, with the policies the account pages and the API name.</summary>
public static class RateLimits
{
    /// <summary>Per IP on the POSTs of the account forms (<c>[EnableRateLimiting(RateLimits.AccountForms)]</c>).</summary>
    public const string AccountForms = "account-forms";

    /// <summary>Per API key, or per shop on the signed routes, on /api/v1.</summary>
    public const string Api = "api";

    public static void AddAllianceRateLimits(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<SignInThrottle>();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>>((options, settings) =>
        {
            var limits = settings.Value;
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = OnRejectedAsync;
            // The per-IP backstop of the API. Everything else passes (the click path above all).
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                limits.Enabled && context.Request.IsApi()
                    ? RateLimitPartition.GetFixedWindowLimiter("ip:" + ClientIp(context), _ => PerMinute(limits.ApiCallsPerMinutePerIp))
                    : RateLimitPartition.GetNoLimiter(""));
            options.AddPolicy(AccountForms, context =>
                limits.Enabled && HttpMethods.IsPost(context.Request.Method)
                    ? RateLimitPartition.GetFixedWindowLimiter(ClientIp(context), _ => PerMinute(limits.AccountPostsPerMinutePerIp))
                    : RateLimitPartition.GetNoLimiter(""));
            options.AddPolicy(Api, context =>
                limits.Enabled
                    ? RateLimitPartition.GetFixedWindowLimiter(ApiCaller(context), _ => PerMinute(limits.ApiCallsPerMinutePerKey))
                    : RateLimitPartition.GetNoLimiter(""));
        });
    }

    /// <summary>
    /// The connection's address. Behind a proxy, configure forwarded headers (docs/operations.md) so this is the
    /// client's; without an address (the in-process test server) all such requests share one partition.
    /// </summary>
    public static string ClientIp(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    /// <summary>
    /// Who is calling the API: the key (hashed, so the limiter's keys are not the secrets), else the shop of a
    /// signed route, else the address (the Orders API names its shop inside the signed body).
    /// </summary>
    private static string ApiCaller(HttpContext context)
    {
        var key = context.Request.Headers[ApiKeyAuthenticationHandler.Header].ToString();
        if (!string.IsNullOrWhiteSpace(key)) return "key:" + ApiKeys.Hash(key.Trim());
        if (context.Request.RouteValues.TryGetValue("shopId", out var shop) && shop is not null)
        {
            return "shop:" + Convert.ToString(shop, CultureInfo.InvariantCulture);
        }
        return "ip:" + ClientIp(context);
    }

    private static FixedWindowRateLimiterOptions PerMinute(int permits) =>
        new() { PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0, AutoReplenishment = true };

    /// <summary>429 with Retry-After; problem+json for the API, the error page (re-executed) for the forms.</summary>
    private static async ValueTask OnRejectedAsync(OnRejectedContext context, CancellationToken ct)
    {
        var wait = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromMinutes(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        if (context.HttpContext.Request.IsApi())
        {
            await TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests",
                detail: $"Slow down: try again in {seconds} seconds.").ExecuteAsync(context.HttpContext);
        }
    }
}
