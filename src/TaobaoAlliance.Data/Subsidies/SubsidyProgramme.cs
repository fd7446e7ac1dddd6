using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TaobaoAlliance.Data.Catalog;

namespace TaobaoAlliance.Data.Subsidies;

/// <summary>A platform-funded bonus on webmaster commission: a percentage, a period and a cap.</summary>
public sealed class SubsidyProgramme
{
    public long Id { get; set; }
    public string Name { get; set; } = "";

    /// <summary>Bonus as basis points of the webmaster's commission (2000 = +20 %).</summary>
    public int BonusBp { get; set; }

    public DateTimeOffset StartsAt { get; set; }
    public DateTimeOffset EndsAt { get; set; }

    /// <summary>Most the programme will ever pay, in fen.</summary>
    public long CapFen { get; set; }

    /// <summary>Bonus granted so far; raised atomically, and the database refuses to pass the cap.</summary>
    public long SpentFen { get; set; }

    /// <summary>Optional scope: only items of this category earn the bonus.</summary>
    public int? CategoryId { get; set; }

    public bool IsActive { get; set; } = true;
}

internal sealed class SubsidyProgrammeConfiguration : IEntityTypeConfiguration<SubsidyProgramme>
{
    public void Configure(EntityTypeBuilder<SubsidyProgramme> b)
    {
        b.Property(p => p.Name).HasMaxLength(100);
        b.HasIndex(p => new { p.StartsAt, p.EndsAt });
        b.HasOne<Category>().WithMany().HasForeignKey(p => p.CategoryId).OnDelete(DeleteBehavior.Restrict);
        b.ToTable(t =>
        {
            t.HasCheckConstraint("ck_subsidy_programmes_bonus_bp", "bonus_bp BETWEEN 0 AND 10000");
            t.HasCheckConstraint("ck_subsidy_programmes_cap_fen", "cap_fen >= 0 AND spent_fen BETWEEN 0 AND cap_fen");
            t.HasCheckConstraint("ck_subsidy_programmes_period", "ends_at > starts_at");
        });
    }
}
