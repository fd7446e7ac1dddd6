using Microsoft.Playwright;

namespace TaobaoAlliance.Browser.Tests.Infrastructure;

/// <summary>
/// The app on a real port with its own database, and Debian's Chromium driven by Playwright (headless,
/// never downloading a browser). One per test class.
/// </summary>
public sealed class BrowserApp : AllianceApp
{
    /// <summary>Where Debian's package puts Chromium; ./build.sh test installs it when missing.</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? playwright;

    public BrowserApp() : base(realServer: true)
    {
    }

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Folder where the journeys' screenshots go (the test output, next to the test assembly).</summary>
    public static string ScreenshotFolder { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run", "--disable-quic"],
        });
        Directory.CreateDirectory(ScreenshotFolder);
    }

    /// <summary>A fresh browser profile (cookies, storage) — a different person at the same app.</summary>
    public async Task<IPage> NewPageAsync(int width = 1280, int height = 900, string locale = "en-US")
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = locale,
            UserAgent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36",
        });
        context.SetDefaultTimeout(15_000);
        await context.AddInitScriptAsync(Axe.Script);
        return await context.NewPageAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        playwright?.Dispose();
        await base.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
