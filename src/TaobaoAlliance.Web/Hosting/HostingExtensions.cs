using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Npgsql;
using Serilog;
using TaobaoAlliance.Web.Admin;
using TaobaoAlliance.Application.Audit;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Identity;
using TaobaoAlliance.Web.Api;

namespace TaobaoAlliance.Web.Hosting;

/// <summary>The building blocks Program.cs calls, one method per concern.</summary>
public static class HostingExtensions
{
    public static void AddAllianceLogging(this WebApplicationBuilder builder) =>
        builder.Services.AddSerilog((services, logger) => logger
            .ReadFrom.Configuration(builder.Configuration)
            .ReadFrom.Services(services)
            .Enrich.FromLogContext()
            .WriteTo.Console(outputTemplate:
                "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}"));

    public static void AddAllianceOptions(this IServiceCollection services)
    {
        services.AddOptions<AllianceOptions>().BindConfiguration(AllianceOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<PublicSiteOptions>().BindConfiguration(PublicSiteOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(TimeProvider.System);
    }

    public static void AddAllianceData(this IServiceCollection services, IConfiguration configuration)
    {
        // A connection back in the pool keeps its session: Npgsql's reset (DISCARD ALL) also drops the cached plans of
        // the plpgsql triggers, so every batch of paid clicks replanned the click rollups' five upserts (8.5 ms against
        // 0.25 ms with the plans kept, EXPLAIN ANALYZE). The only session state the app takes, the singletons' advisory
        // locks, is released explicitly (OrderLifecycle, CpcHoldRelease); LISTEN runs on its own connections.
        var connectionString = new NpgsqlConnectionStringBuilder(configuration.GetConnectionString("Alliance")
            ?? throw new InvalidOperationException("ConnectionStrings:Alliance is not set. Run ./build.sh run, or set it."))
        { NoResetOnClose = true }.ConnectionString;
        // Pooled: a request takes a context already built (options, interceptors, services) instead of building one,
        // which the click and ad paths, answering from memory, would otherwise spend a good part of their time on.
        services.AddDbContextPool<AllianceDbContext>((provider, options) => options.UseAlliance(connectionString)
            .AddInterceptors(provider.GetRequiredService<Application.Clicks.ClickTargetsInvalidation>(),
                provider.GetRequiredService<Application.Cpc.AdCampaignsInvalidation>(),
                provider.GetRequiredService<Application.Cpc.AdStateInvalidation>(),
                provider.GetRequiredService<Store.StorefrontCacheInvalidation>()));
        // Without PostgreSQL the app still redirects clicks (from memory, into the spool): degraded, not down.
        services.AddHealthChecks()
            .AddDbContextCheck<AllianceDbContext>("database", failureStatus: HealthStatus.Degraded)
            .AddCheck<Clicks.ClickSpoolHealthCheck>("click-spool");
    }

    public static void AddAllianceIdentity(this IServiceCollection services)
    {
        services.AddIdentity<AllianceUser, IdentityRole<long>>(options =>
            {
                options.User.RequireUniqueEmail = true;
                options.Password.RequiredLength = 8;
                // Sign-in no longer counts failures towards a lockout (SignInThrottle says why); these apply to a
                // lockout set some other way.
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                // New accounts confirm their address before they can sign in (SignUpModel says why).
                options.SignIn.RequireConfirmedEmail = true;
            })
            .AddEntityFrameworkStores<AllianceDbContext>()
            .AddDefaultTokenProviders();
        // Keys in PostgreSQL under one application name, so a cookie or antiforgery token made by one node is read by
        // every other (on each node's disk, with the content root as the name, node 2 could not read node 1's).
        services.AddDataProtection()
            .SetApplicationName("TaobaoAlliance")
            .PersistKeysToDbContext<AllianceDbContext>();
        services.AddAccountDisabling();
        // The stamp check rebuilds the principal from the database (on every request, AddAccountDisabling): keep the
        // session's "signed in with two factors" claim, which the database does not know, or admins would lose it at once.
        services.Configure<SecurityStampValidatorOptions>(options => options.OnRefreshingPrincipal = context =>
        {
            if (context.CurrentPrincipal?.FindFirst("amr") is { } amr && context.NewPrincipal?.Identity is System.Security.Claims.ClaimsIdentity identity
                && !identity.HasClaim("amr", amr.Value))
            {
                identity.AddClaim(new System.Security.Claims.Claim("amr", amr.Value));
            }
            return Task.CompletedTask;
        });
        services.AddHttpContextAccessor();
        services.AddScoped<Identity.CurrentActor>();
        services.ConfigureApplicationCookie(options =>
        {
            options.LoginPath = "/Account/SignIn";
            options.LogoutPath = "/Account/SignOut";
            options.AccessDeniedPath = "/Account/AccessDenied";
            options.Cookie.Name = "alliance_auth";
            options.Cookie.SameSite = SameSiteMode.Lax;
            // An API caller is a program, not a browser: it gets 401/403 (as problem+json), never a sign-in page.
            options.Events.OnRedirectToLogin = context => ApiAwareRedirect(context, StatusCodes.Status401Unauthorized);
            options.Events.OnRedirectToAccessDenied = context => ApiAwareRedirect(context, StatusCodes.Status403Forbidden);
        });
        // Secure follows how the public reaches the site: a site served over HTTPS (production) always marks
        // the cookie Secure, even behind a TLS-terminating proxy that forwards plain HTTP; a site served over
        // plain HTTP (./build.sh run on http://localhost:5080, the tests) marks it Secure when the request
        // itself is HTTPS — "Always" there would leave the browser without its cookie and nobody could sign in.
        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme)
            .Configure<IOptions<PublicSiteOptions>>((options, site) =>
                options.Cookie.SecurePolicy = site.Value.IsHttps ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest);
    }

    private static Task ApiAwareRedirect(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> context, int apiStatus)
    {
        if (context.Request.IsApi()) context.Response.StatusCode = apiStatus;
        else context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }

    /// <summary>Kestrel says nothing about itself: the Server header only helps someone matching exploits to versions.</summary>
    /// <summary>
    /// Behind a load balancer (./build.sh cluster: HAProxy with <c>option forwardfor</c>) every connection comes from the
    /// balancer, so the shopper's address — which the per-IP click limit and the rate limits key on — is read from
    /// X-Forwarded-For, but only on connections from an address listed in <c>Proxy:TrustedAddresses</c>. None by default
    /// (not even loopback, which ASP.NET Core would trust): otherwise any client could claim any address.
    /// </summary>
    public static void AddTrustedProxies(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var trusted = builder.Configuration.GetSection("Proxy:TrustedAddresses").Get<string[]>() ?? [];
        var addresses = trusted.Select(a => System.Net.IPAddress.TryParse(a, out var ip) ? ip
            : throw new InvalidOperationException($"Proxy:TrustedAddresses: '{a}' is not an IP address.")).ToList();
        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            // With no known proxy at all the middleware would trust every sender: then it reads no header.
            o.ForwardedHeaders = addresses.Count > 0 ? ForwardedHeaders.XForwardedFor : ForwardedHeaders.None;
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var address in addresses) o.KnownProxies.Add(address);
            o.ForwardLimit = 1; // the balancer's own entry: what the client put in the header before it is not believed
        });
    }

    public static void AddServerHardening(this WebApplicationBuilder builder) =>
        builder.WebHost.ConfigureKestrel(options => options.AddServerHeader = false);

    /// <summary>Applies pending migrations and loads the demo data when the settings ask for it.</summary>
    public static async Task PrepareDatabaseAsync(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<DatabaseOptions>>().Value;
        await using var scope = app.Services.CreateAsyncScope();
        if (options.MigrateOnStart)
        {
            var db = scope.ServiceProvider.GetRequiredService<AllianceDbContext>();
            // Some migrations build an index or a rollup over every row (SaleRollups: 83 s over 100 thousand items and
            // orders): far beyond the 30 s a page's query may take.
            db.Database.SetCommandTimeout(TimeSpan.FromMinutes(30));
            await db.Database.MigrateAsync();
        }
        if (options.SeedOnStart)
        {
            await scope.ServiceProvider.GetRequiredService<Seeding.DemoSeeder>().SeedAsync();
        }
    }

    /// <summary>
    /// One log line per request. A request the client gave up on (wrk at the end of a run, a shopper closing the tab)
    /// ends in a cancellation that would read as a 500 error: nobody received that answer, so it is logged at Debug.
    /// </summary>
    public static void UseAllianceRequestLogging(this WebApplication app) =>
        app.UseSerilogRequestLogging(o => o.GetLevel = (context, _, error) =>
            context.RequestAborted.IsCancellationRequested ? Serilog.Events.LogEventLevel.Debug
            : error is not null || context.Response.StatusCode >= 500 ? Serilog.Events.LogEventLevel.Error
            // A line per shopper's click would be most of the log, and the click metrics count them already.
            : Clicks.ClickEndpoints.IsShopperRedirect(context.Request) ? Serilog.Events.LogEventLevel.Debug
            : Serilog.Events.LogEventLevel.Information);

    /// <summary>
    /// Security headers on every page. The CSP allows scripts only from this origin (no inline
    /// scripts), and no one may frame the portal.
    /// </summary>
    public static void UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy =
                "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                + "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
            headers.XFrameOptions = "DENY";
            // No page here needs the browser's powerful features; an injected script or a framed ad cannot ask for them.
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
                + "magnetometer=(), gyroscope=(), accelerometer=(), display-capture=()";
            return next(context);
        });
}
