using System.Net;
using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Data.Subsidies;
using TaobaoAlliance.Web.Tests.Cpc;
using static TaobaoAlliance.Web.Tests.Areas.Admin.AdminTesting;
using static TaobaoAlliance.Testing.MoneyWorld;

namespace TaobaoAlliance.Web.Tests.Areas.Admin;

/// <summary>Subsidy programmes: the admin's form (create, edit before the start, end), every change audited, and the cap under concurrent orders.</summary>
public sealed class SubsidyAdminTests(AllianceApp app) : IClassFixture<AllianceApp>
{
    private readonly MoneyWorld world = new(app);

    private static string Local(DateTimeOffset at) => ChinaTime.ToLocalInput(at);

    private static Dictionary<string, string> Fields(string name, DateTimeOffset starts, DateTimeOffset ends, string bonus = "20", string cap = "500", string category = "") => new()
    {
        ["Input.Name"] = name, ["Input.BonusPercent"] = bonus, ["Input.StartsAt"] = Local(starts), ["Input.EndsAt"] = Local(ends),
        ["Input.CapYuan"] = cap, ["Input.CategoryId"] = category,
    };

    private async Task<SubsidyProgramme?> ProgrammeAsync(string name)
    {
        await using var db = app.NewDb();
        return await db.SubsidyProgrammes.AsNoTracking().SingleOrDefaultAsync(p => p.Name == name);
    }

    [Fact]
    public async Task An_admin_creates_a_programme_with_the_form_and_it_is_audited()
    {
        using var admin = await AdminAsync(app);
        var name = "Spring " + Guid.NewGuid().ToString("N")[..6];

        using var response = await admin.SubmitAsync("/Admin/Subsidies/Edit", "/Admin/Subsidies/Edit",
            Fields(name, world.Now.AddDays(1), world.Now.AddDays(11), bonus: "12.5", cap: "1234.56", category: "3"));

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        var programme = await ProgrammeAsync(name);
        programme.Should().NotBeNull();
        (programme!.BonusBp, programme.CapFen, programme.CategoryId, programme.SpentFen, programme.IsActive).Should().Be((1_250, 123_456L, (int?)3, 0L, true));
        (await AuditAsync(app, "subsidy_programme", programme.Id)).Select(a => a.Action).Should().Equal("subsidy.create");
        var list = await admin.PageAsync("/Admin/Subsidies");
        list.Should().Contain(name).And.Contain("¥0.00 / ¥1,234.56").And.Contain("Scheduled");
    }

    [Fact]
    public async Task A_refused_form_says_why_and_creates_nothing()
    {
        using var admin = await AdminAsync(app);
        var name = "Bad " + Guid.NewGuid().ToString("N")[..6];

        using var backwards = await admin.SubmitAsync("/Admin/Subsidies/Edit", "/Admin/Subsidies/Edit", Fields(name, world.Now.AddDays(2), world.Now.AddDays(1)));
        using var noCap = await admin.SubmitAsync("/Admin/Subsidies/Edit", "/Admin/Subsidies/Edit", Fields(name, world.Now, world.Now.AddDays(1), cap: "0"));
        using var tooMuch = await admin.SubmitAsync("/Admin/Subsidies/Edit", "/Admin/Subsidies/Edit", Fields(name, world.Now, world.Now.AddDays(1), bonus: "150"));
        using var noCategory = await admin.SubmitAsync("/Admin/Subsidies/Edit", "/Admin/Subsidies/Edit", Fields(name, world.Now, world.Now.AddDays(1), category: "987654"));

        foreach (var r in new[] { backwards, noCap, tooMuch, noCategory }) r.StatusCode.Should().Be(HttpStatusCode.OK, "the form comes back with its message");
        (await backwards.Content.ReadAsStringAsync()).Should().Contain("The end must be after the start.");
        (await noCategory.Content.ReadAsStringAsync()).Should().Contain("Choose a category from the list, or all categories.");
        (await ProgrammeAsync(name)).Should().BeNull();
    }

    [Fact]
    public async Task A_programme_can_be_edited_before_it_starts_but_not_after()
    {
        using var admin = await AdminAsync(app);
        var name = "Later " + Guid.NewGuid().ToString("N")[..6];
        using (await admin.SubmitAsync("/Admin/Subsidies/Edit", "/Admin/Subsidies/Edit", Fields(name, world.Now.AddHours(1), world.Now.AddDays(3), category: "3"))) { }
        var programme = (await ProgrammeAsync(name))!;

        using var edited = await admin.SubmitAsync($"/Admin/Subsidies/Edit?id={programme.Id}", $"/Admin/Subsidies/Edit?id={programme.Id}",
            new Dictionary<string, string> { ["Input.BonusPercent"] = "30", ["Input.CapYuan"] = "800" });
        edited.StatusCode.Should().Be(HttpStatusCode.Redirect);
        (await ProgrammeAsync(name))!.BonusBp.Should().Be(3_000);
        var form = await admin.PageAsync($"/Admin/Subsidies/Edit?id={programme.Id}");

        app.Clock.Advance(TimeSpan.FromHours(2)); // it has started
        using var late = await admin.PostAsync($"/Admin/Subsidies/Edit?id={programme.Id}", Fields(name, world.Now.AddHours(-1), world.Now.AddDays(3), bonus: "90"), "/Admin/Subsidies/Edit");

        late.StatusCode.Should().Be(HttpStatusCode.OK);
        (await late.Content.ReadAsStringAsync()).Should().Contain("This programme has started: it can no longer be edited, only ended.");
        var after = (await ProgrammeAsync(name))!;
        (after.BonusBp, after.CapFen).Should().Be((3_000, 80_000L), "the refused edit changed nothing");
        (await AuditAsync(app, "subsidy_programme", programme.Id)).Select(a => a.Action).Should().Equal("subsidy.create", "subsidy.edit");
        form.Should().Contain("Input.BonusPercent");
    }

    [Fact]
    public async Task Ending_a_running_programme_stops_its_bonus_and_is_audited()
    {
        var cpc = await CpcWorld.CreateAsync(app);
        var seller = await cpc.NewSellerAsync(Money.Zero);
        long id;
        await using (var db = app.NewDb())
        {
            var p = new SubsidyProgramme { Name = "End me " + Guid.NewGuid().ToString("N")[..6], BonusBp = 5_000, StartsAt = world.Now.AddDays(-1), EndsAt = world.Now.AddDays(5), CapFen = 100_000, CategoryId = cpc.CategoryId };
            db.SubsidyProgrammes.Add(p);
            await db.SaveChangesAsync();
            id = p.Id;
        }
        using var admin = await AdminAsync(app);

        using var ended = await admin.PostAsync($"/Admin/Subsidies?handler=End&id={id}", [], "/Admin/Subsidies");

        ended.StatusCode.Should().Be(HttpStatusCode.Redirect);
        await using (var db = app.NewDb())
        {
            var p = await db.SubsidyProgrammes.SingleAsync(x => x.Id == id);
            (p.IsActive, p.EndsAt).Should().Be((false, world.Now));
        }
        (await AuditAsync(app, "subsidy_programme", id)).Select(a => a.Action).Should().Equal("subsidy.end");
        var webmaster = await world.NewWebmasterAsync();
        var visitor = Guid.NewGuid();
        await world.ClickAsync(webmaster, visitor, seller.ItemIds[0], world.Now.AddMinutes(-1));
        var result = await world.ProcessAsync(Paid(seller.ShopId, NewOrderId(), world.Now, visitor, Line(seller.ItemIds[0], 1, 10_000)));
        result.Lines.Single().SubsidyFen.Should().Be(0, "an ended programme grants nothing");
    }

    [Fact]
    public async Task Concurrent_orders_never_pass_the_cap_together()
    {
        var cpc = await CpcWorld.CreateAsync(app);
        var seller = await cpc.NewSellerAsync(Money.Zero);
        long id;
        await using (var db = app.NewDb())
        {
            // Each ¥100 order at 5 % gives a ¥4.50 share and wants a ¥2.25 bonus: ¥10 covers four and a part of a fifth.
            var p = new SubsidyProgramme { Name = "Cap " + Guid.NewGuid().ToString("N")[..6], BonusBp = 5_000, StartsAt = world.Now.AddDays(-1), EndsAt = world.Now.AddDays(1), CapFen = 1_000, CategoryId = cpc.CategoryId };
            db.SubsidyProgrammes.Add(p);
            await db.SaveChangesAsync();
            id = p.Id;
        }
        var webmaster = await world.NewWebmasterAsync();
        var visitors = Enumerable.Range(0, 24).Select(_ => Guid.NewGuid()).ToList();
        foreach (var v in visitors) await world.ClickAsync(webmaster, v, seller.ItemIds[0], world.Now.AddMinutes(-1));

        var results = await Task.WhenAll(visitors.Select(v => Task.Run(() =>
            world.ProcessAsync(Paid(seller.ShopId, NewOrderId(), world.Now, v, Line(seller.ItemIds[0], 1, 10_000))))));

        results.Should().HaveCount(24);
        await using var check = app.NewDb();
        var granted = await check.Commissions.Where(c => c.SubsidyProgrammeId == id).Select(c => c.SubsidyFen).ToListAsync();
        granted.Sum().Should().Be(1_000, "the cap is spent exactly, never passed");
        granted.Count(g => g == 225).Should().Be(4);
        granted.Count(g => g == 100).Should().Be(1, "the fifth order gets what was left");
        (await check.SubsidyProgrammes.SingleAsync(p => p.Id == id)).SpentFen.Should().Be(1_000);
    }

    [Fact]
    public async Task The_demo_programme_is_seeded_and_the_dashboard_shows_its_spend()
    {
        using var admin = await AdminAsync(app);

        var html = await admin.PageAsync("/Admin");

        html.Should().Contain("图书推广补贴 Books boost").And.Contain("spent");
        html.Should().Contain("href=\"/Admin/Economics\"").And.Contain("href=\"/Admin/Subsidies\"");
    }
}
