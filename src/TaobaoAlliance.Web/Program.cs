using Serilog;
using TaobaoAlliance.Application;
using TaobaoAlliance.Application.Settings;
using TaobaoAlliance.Web.Api;
using TaobaoAlliance.Web.Clicks;
using TaobaoAlliance.Web.Cpc;
using TaobaoAlliance.Web.Hosting;
using TaobaoAlliance.Web.Localization;
using TaobaoAlliance.Web.Mail;
using TaobaoAlliance.Web.Seeding;
using TaobaoAlliance.Web.Store;

// A plain logger until the host's own takes over (a "bootstrap" logger can be frozen only once per
// process, and tests start several hosts in one process).
Log.Logger = new LoggerConfiguration().WriteTo.Console().CreateLogger();

try
{
    var builder = WebApplication.CreateBuilder(args);
    builder.Configuration.AddPlatformSettings(); // admins' overrides of the Alliance defaults

    builder.AddAllianceLogging();
    builder.AddServerHardening();
    builder.AddTrustedProxies();
    builder.AddAllianceOrleans(); // the campaign grains that charge CPC clicks; one node, or a cluster
    builder.Services.AddAllianceOptions();
    builder.Services.AddAllianceData(builder.Configuration);
    builder.Services.AddAllianceApplication(builder.Configuration);
    builder.Services.AddAllianceIdentity();
    builder.Services.AddAllianceLocalization();
    builder.Services.AddStorefrontCache();
    builder.Services.AddAlliancePages();
    builder.Services.AddInputHardening();
    builder.Services.AddAllianceRateLimits();
    builder.Services.AddDemoSeeding();
    builder.Services.AddAllianceApi();
    builder.Services.AddMail();

    var app = builder.Build();

    await app.PrepareDatabaseAsync();

    app.UseForwardedHeaders(); // first: everything after sees the shopper's address (AddTrustedProxies)
    app.UseAllianceRequestLogging();
    if (!app.Environment.IsDevelopment())
    {
        app.UseExceptionHandler("/Error");
        app.UseHsts();
    }
    app.UseStatusCodePagesWithReExecute("/Error", "?code={0}");
    app.UseApiProblemDetails();
    // A shopper's redirect (a click, a paid click) renders no page, so it skips what only pages need: their security
    // headers (a 302 has no content to protect; a link that leads nowhere is re-executed as /Error, which gets them)
    // and the request culture. At tens of microseconds a click, that is a good part of its time.
    app.UseWhen(context => !ClickEndpoints.IsShopperRedirect(context.Request), pages =>
    {
        pages.UseSecurityHeaders();
        pages.UseAllianceLocalization();
    });
    app.UseRouting();
    // After routing: a request routing answered (the click redirects are short-circuit endpoints) or chose a page for
    // never looks for a file on disk; a request no endpoint matches still gets its file.
    app.UseStaticFiles();
    app.UseRateLimiter();
    app.UseNulCharacterGuard();
    app.UseAuthentication();
    app.UseAuthorization();
    // After localization (entries vary by culture) and authentication (signed-in requests are never cached).
    app.UseOutputCache();
    app.UseAntiforgery();

    app.MapHealthChecks("/health").AllowAnonymous();
    app.MapCultureSwitch();
    app.MapClickEndpoints();
    app.MapCpcEndpoints();
    app.MapAllianceApi();
    app.MapRazorPages();

    await app.RunAsync();
}
catch (Exception ex) when (ex is not HostAbortedException)
{
    Log.Fatal(ex, "The app stopped on an unhandled exception");
    throw;
}
finally
{
    await Log.CloseAndFlushAsync();
}

/// <summary>Entry point; public so WebApplicationFactory can start the app in tests.</summary>
public partial class Program;
