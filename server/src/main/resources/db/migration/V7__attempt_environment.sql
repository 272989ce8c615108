-- Where each attempt ran, as its worker reported it when the attempt started (JSON; NULL for reports without it):
-- environment (image, variables with secrets redacted, python and its packages, OS, Baton and Java versions) and
-- hardware (worker, CPU model, CPUs, memory, GPUs).
ALTER TABLE attempts ADD COLUMN environment MEDIUMTEXT;
ALTER TABLE attempts ADD COLUMN hardware MEDIUMTEXT;
