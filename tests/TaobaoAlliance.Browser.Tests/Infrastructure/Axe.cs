using System.Text.Json;
using Microsoft.Playwright;

namespace TaobaoAlliance.Browser.Tests.Infrastructure;

/// <summary>Runs axe-core (from npm, injected into the page; no CDN) and returns its violations.</summary>
public static class Axe
{
    public sealed record Violation(string Id, string Impact, string Help, int Nodes);

    /// <summary>
    /// axe-core's source. Added to a browser context as an init script: those run through the devtools
    /// protocol, so the app's CSP (no inline scripts) stays on for everything the app itself runs.
    /// </summary>
    public static readonly string Script = File.ReadAllText(FindAxe());

    /// <summary>The critical and serious accessibility violations of the page as it is now.</summary>
    public static async Task<IReadOnlyList<Violation>> SeriousViolationsAsync(IPage page)
    {
        var json = await page.EvaluateAsync<JsonElement>("""
            async () => {
                const result = await axe.run(document, { resultTypes: ['violations'] });
                return result.violations.map(v => ({ id: v.id, impact: v.impact ?? '', help: v.help, nodes: v.nodes.length }));
            }
            """);
        return json.EnumerateArray()
            .Select(v => new Violation(v.GetProperty("id").GetString()!, v.GetProperty("impact").GetString()!,
                v.GetProperty("help").GetString()!, v.GetProperty("nodes").GetInt32()))
            .Where(v => v.Impact is "critical" or "serious")
            .ToList();
    }

    private static string FindAxe()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "node_modules", "axe-core", "axe.min.js");
            if (File.Exists(candidate)) return candidate;
            candidate = Path.Combine(dir.FullName, "tests", "TaobaoAlliance.Browser.Tests", "node_modules", "axe-core", "axe.min.js");
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException("axe-core is missing: ./build.sh test installs it with npm ci in tests/TaobaoAlliance.Browser.Tests");
    }
}
