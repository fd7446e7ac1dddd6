using System.Buffers;

namespace TaobaoAlliance.Attribution.Clicks;

public enum UserAgentKind { Browser, Missing, Preview, Bot }

/// <summary>
/// Tells preview fetchers and bots from browsers by case-insensitive substrings, listed in
/// <c>bot-user-agents.txt</c> (embedded in this assembly, so the list ships with the rules that use it).
/// </summary>
public sealed class UserAgents
{
    private const string ResourceName = "TaobaoAlliance.Attribution.Clicks.bot-user-agents.txt";

    /// <summary>The list shipped with the app, read once.</summary>
    public static UserAgents Default { get; } = Load();

    public IReadOnlyList<string> Previews { get; }
    public IReadOnlyList<string> Bots { get; }

    /// <summary>Substrings removed before matching: real devices whose names contain a bot word (CUBOT phones).</summary>
    public IReadOnlyList<string> NotBots { get; }

    // Every click and ad view is classified: one vectorized pass for all substrings of a section, instead of a
    // search per substring (some sixty of them).
    private readonly SearchValues<string> previewValues;
    private readonly SearchValues<string> botValues;

    private UserAgents(List<string> previews, List<string> bots, List<string> notBots)
    {
        (Previews, Bots, NotBots) = (previews, bots, notBots);
        previewValues = SearchValues.Create(previews.ToArray(), StringComparison.OrdinalIgnoreCase);
        botValues = SearchValues.Create(bots.ToArray(), StringComparison.OrdinalIgnoreCase);
    }

    public UserAgentKind Classify(string? userAgent)
    {
        if (string.IsNullOrWhiteSpace(userAgent)) return UserAgentKind.Missing;
        foreach (var notBot in NotBots)
        {
            userAgent = userAgent.Replace(notBot, "", StringComparison.OrdinalIgnoreCase);
        }
        if (userAgent.AsSpan().ContainsAny(previewValues)) return UserAgentKind.Preview;
        if (userAgent.AsSpan().ContainsAny(botValues)) return UserAgentKind.Bot;
        return UserAgentKind.Browser;
    }

    /// <summary>
    /// Reads the list: <c>[preview]</c>, <c>[bot]</c> and <c>[not-bot]</c> sections, one substring a
    /// line, <c>#</c> starts a comment. An unknown section or an entry outside a section is an error,
    /// so a typo cannot silently drop half the list.
    /// </summary>
    public static UserAgents Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sections = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase)
        {
            ["preview"] = [], ["bot"] = [], ["not-bot"] = [],
        };
        List<string>? current = null;
        var lineNumber = 0;
        foreach (var rawLine in text.Split('\n'))
        {
            lineNumber++;
            var hash = rawLine.IndexOf('#', StringComparison.Ordinal);
            var line = (hash >= 0 ? rawLine[..hash] : rawLine).Trim();
            if (line.Length == 0) continue;
            if (line.StartsWith('[') && line.EndsWith(']'))
            {
                current = sections.GetValueOrDefault(line[1..^1].Trim())
                    ?? throw new FormatException($"Line {lineNumber}: unknown section {line}");
                continue;
            }
            (current ?? throw new FormatException($"Line {lineNumber}: '{line}' is outside a section")).Add(line);
        }
        return new UserAgents(sections["preview"], sections["bot"], sections["not-bot"]);
    }

    private static UserAgents Load()
    {
        using var stream = typeof(UserAgents).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd());
    }
}
