using TaobaoAlliance.Attribution.Commissions;
using TaobaoAlliance.Attribution.Texts;

namespace TaobaoAlliance.Attribution.Tests.Texts;

/// <summary>Stored sentences as codes and arguments (issue 15): their English, and the JSON the database keeps.</summary>
public sealed class PhraseTests
{
    private static readonly ClickFacts Click = new(
        Guid.Parse("6f1c2a55-0000-4000-8000-000000000001"), new DateTimeOffset(2025, 6, 1, 9, 0, 0, TimeSpan.Zero),
        IsValid: true, InvalidReason: null, WebmasterId: 17, SiteId: 23, ItemId: 300, ShopId: 400, ItemRateBp: 475, ShopRateBp: 200);

    [Fact]
    public void A_commission_formula_is_a_code_with_its_numbers_and_reads_as_before_in_English()
    {
        var line = CommissionCalculator.ForLine(Click, 400, 300, new Money(67_900), new Rate(1_000))!;

        line.Why.Code.Should().Be(PhraseBook.CommissionLine);
        line.Why.Args.Should().Equal("¥679.00", "4.75 %", "¥32.25", Phrase.Nested(PhraseBook.WhyClickedItem), "10 %", "¥3.23", "¥29.02");
        line.Explanation.Should().Be("¥679.00 × 4.75 % = ¥32.25 (the clicked item, at its rate at click time); platform fee 10 % = ¥3.23; webmaster ¥29.02.");
    }

    [Fact]
    public void Phrases_survive_the_round_trip_through_the_stored_json()
    {
        var decision = LastClickAttribution.Decide(Click with { IsValid = false, InvalidReason = "bot_user_agent" }, [Click], Click.OccurredAt.AddHours(1.5),
            TimeSpan.FromDays(15), orderShopId: 400);

        var json = Phrases.ToJson(decision.Phrases);
        var back = Phrases.FromJson(json);

        back.Should().Equal(decision.Phrases);
        back!.Select(p => p.Code).Should().Equal(PhraseBook.StoreClickInvalid, PhraseBook.LastValidWon);
        back[0].Args[1].Should().Be(Phrase.Reason("bot_user_agent"), "the reason stays a code, translated when read");
        decision.Note.Should().Be($"The store's click {Click.Id} is invalid (bot_user_agent). Click {Click.Id} won: the visitor's last valid click, 1.5 h before payment.");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("{\"c\":\"x\"}")]
    [InlineData("[{\"a\":[\"1\"]}]")]
    public void Anything_that_is_not_a_list_of_phrases_reads_as_none(string? json) => Phrases.FromJson(json).Should().BeNull();

    [Fact]
    public void A_code_this_version_does_not_know_reads_as_itself()
    {
        var unknown = new Phrase("future.code", "1");

        unknown.English().Should().Be("future.code");
        PhraseBook.Knows("future.code").Should().BeFalse();
    }

    [Fact]
    public void Every_template_fills_in_as_many_arguments_as_its_callers_give()
    {
        foreach (var (code, template) in PhraseBook.All)
        {
            var count = System.Text.RegularExpressions.Regex.Count(template, "\\{[0-9]+\\}");
            var phrase = new Phrase(code, [.. Enumerable.Range(0, count).Select(i => "a" + i)]);
            phrase.Invoking(p => p.English()).Should().NotThrow($"{code} has {count} arguments");
        }
    }

    [Fact]
    public void A_subsidy_limited_by_its_cap_says_so()
    {
        var choice = new SubsidyChoice(new SubsidyTerms(1, "Phones +20%", 2_000, null), new Money(99));

        SubsidyRules.SubsidyPhrase(choice, new Money(50)).Should().Be(new Phrase(PhraseBook.SubsidyCapped, "Phones +20%", "20 %", "¥0.50"));
        SubsidyRules.SubsidyPhrase(choice, new Money(99)).Code.Should().Be(PhraseBook.Subsidy);
    }
}
