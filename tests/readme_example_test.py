"""The C++ block in the README's "Using the library" section is examples/compare_example.cc."""
import re
import sys

readme, example = open(sys.argv[1], encoding="utf-8").read(), open(sys.argv[2], encoding="utf-8").read()
section = readme.split("## Using the library", 1)
if len(section) < 2:
    sys.exit("README has no '## Using the library' section")
block = re.search(r"```cpp\n(.*?)```", section[1], re.S)
if not block or block.group(1) != example:
    sys.exit("README example differs from examples/compare_example.cc")
print("README example matches examples/compare_example.cc")
